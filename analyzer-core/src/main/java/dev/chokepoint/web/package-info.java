/** Web collection: HTTPS fetches with every redirect and certificate recorded, and the resources a page loads. */
package dev.chokepoint.web;
