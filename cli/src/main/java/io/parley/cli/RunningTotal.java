package io.parley.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The running total over all clients, kept durably in a data directory: the file {@code running-total}
 * holds it as a decimal number and a newline. An update writes {@code running-total.tmp}, forces it to
 * disk, renames it over {@code running-total} atomically and forces the directory, all before
 * {@link #add} returns; updates are serialised. So whatever a caller tells after {@code add} returned
 * survives a crash, and a crash in the middle leaves the previous total. The file {@code lock} is held
 * locked while open, so that two servers never share a directory.
 */
final class RunningTotal implements AutoCloseable {
    private static final String TOTAL = "running-total";
    private static final String TEMPORARY = "running-total.tmp";

    private final Path directory;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final ReentrantLock updates = new ReentrantLock();
    private volatile long total;

    private RunningTotal(Path directory, FileChannel lockFile, FileLock lock, long total) {
        this.directory = directory;
        this.lockFile = lockFile;
        this.lock = lock;
        this.total = total;
    }

    /**
     * Opens the running total in {@code directory}, creating the directory if needed (the total is then 0).
     *
     * @throws IOException the directory cannot be used, another server holds it, or its total is corrupt
     */
    static RunningTotal open(Path directory) throws IOException {
        Files.createDirectories(directory);
        FileChannel lockFile = FileChannel.open(directory.resolve("lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = lockFile.tryLock();
            if (lock == null) {
                throw new IOException("another totals server uses the data directory " + directory);
            }
            return new RunningTotal(directory, lockFile, lock, read(directory.resolve(TOTAL)));
        } catch (OverlappingFileLockException e) {
            lockFile.close();
            throw new IOException("the data directory " + directory + " is already open in this process", e);
        } catch (IOException | RuntimeException e) {
            lockFile.close();
            throw e;
        }
    }

    /** The data directory. */
    Path directory() {
        return directory;
    }

    /** The current total: the last one stored. */
    long current() {
        return total;
    }

    /**
     * Adds {@code amount} and stores the new total durably before returning it. Concurrent calls are
     * serialised; none is lost.
     *
     * @throws IOException the new total could not be stored; the total is unchanged
     */
    long add(long amount) throws IOException {
        updates.lock();
        try {
            long next;
            try {
                next = Math.addExact(total, amount);
            } catch (ArithmeticException e) {
                throw new IOException("the running total would overflow", e);
            }
            store(next);
            total = next;
            return next;
        } finally {
            updates.unlock();
        }
    }

    /** Releases the directory. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockFile.close();
        }
    }

    private void store(long value) throws IOException {
        Path temporary = directory.resolve(TEMPORARY);
        ByteBuffer bytes = ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.US_ASCII));
        try (FileChannel file = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                file.write(bytes);
            }
            file.force(true);
        }
        Files.move(temporary, directory.resolve(TOTAL), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        forceDirectory();
    }

    /**
     * Makes the rename durable. Opening a directory works on Linux and macOS; where it does not (Windows),
     * the file system journals the rename itself, so failing here is no error.
     */
    private void forceDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            System.getLogger("io.parley.cli").log(System.Logger.Level.DEBUG,
                    "cannot force the directory {0}: {1}", directory, e.getMessage());
        }
    }

    private static long read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        if (!text.endsWith("\n")) {
            throw new IOException(file + " is corrupt: it must hold a decimal number and a newline");
        }
        try {
            return Text.decimal(text.substring(0, text.length() - 1), file.toString());
        } catch (WireFormatException e) {
            throw new IOException(file + " is corrupt: " + e.getMessage(), e);
        }
    }
}
