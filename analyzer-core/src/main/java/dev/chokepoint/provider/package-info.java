/** Attribution: provider datasets, pattern matching, and the first-party/third-party rule chain. */
package dev.chokepoint.provider;
