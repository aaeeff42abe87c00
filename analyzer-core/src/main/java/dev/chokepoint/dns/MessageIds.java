package dev.chokepoint.dns;

import java.security.SecureRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Unpredictable 16-bit DNS message IDs, drawn from a DRBG a few hundred at a time.
 *
 * <p>dnsjava draws each ID from the platform {@link SecureRandom}, NativePRNG on Linux, which reads /dev/urandom under
 * a lock; a DRBG asked for two bytes at a time still runs a SHA-256 per ID. Both showed up in batch profiles (a DRBG
 * call per ID was a thirtieth of a scan's time). Buffering keeps the IDs as unpredictable and costs one DRBG call per
 * {@value #BUFFERED} IDs.
 */
final class MessageIds {
    private static final int BUFFERED = 256;
    private static final SecureRandom RANDOM = drbg();
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final byte[] BUFFER = new byte[2 * BUFFERED];
    private static int used = BUFFERED;

    private MessageIds() {}

    /** The next ID, in [0, 65535]. */
    static int next() {
        LOCK.lock();
        try {
            if (used == BUFFERED) {
                RANDOM.nextBytes(BUFFER);
                used = 0;
            }
            int at = 2 * used++;
            return ((BUFFER[at] & 0xff) << 8) | (BUFFER[at + 1] & 0xff);
        } finally {
            LOCK.unlock();
        }
    }

    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
