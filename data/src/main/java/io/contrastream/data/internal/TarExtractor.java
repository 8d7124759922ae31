package io.contrastream.data.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Extracts regular files from a gzip-compressed ustar archive (as produced by {@code npm pack}). Handles the
 * ustar name prefix, PAX {@code path} records and GNU long names; refuses entries that escape the target
 * directory. Internal.
 */
public final class TarExtractor {

    private static final int BLOCK = 512;

    private TarExtractor() {
    }

    /**
     * Extracts {@code tgz} into {@code target}.
     *
     * @return number of regular files written
     */
    public static int extractTgz(Path tgz, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        Files.createDirectories(root);
        int files = 0;
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(tgz), 1 << 16), 1 << 16)) {
            byte[] header = new byte[BLOCK];
            String overrideName = null;
            while (true) {
                if (!readFully(in, header)) {
                    break;
                }
                if (isZero(header)) {
                    break;
                }
                String name = cString(header, 0, 100);
                String prefix = cString(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = octal(header, 124, 12, tgz);
                char type = (char) header[156];
                if (type == 'x' || type == 'L' || type == 'g') {
                    byte[] meta = readBytes(in, size, tgz);
                    skipPadding(in, size);
                    if (type == 'L') {
                        overrideName = cString(meta, 0, meta.length);
                    } else if (type == 'x') {
                        String path = paxPath(meta);
                        if (path != null) {
                            overrideName = path;
                        }
                    }
                    continue;
                }
                if (overrideName != null) {
                    name = overrideName;
                    overrideName = null;
                }
                if (type == '0' || type == '\0') {
                    Path out = root.resolve(name).normalize();
                    if (!out.startsWith(root)) {
                        throw new IOException("Archive " + tgz + " entry '" + name + "' escapes the target directory");
                    }
                    Files.createDirectories(out.getParent());
                    try (OutputStream os = Files.newOutputStream(out)) {
                        copy(in, os, size, tgz);
                    }
                    files++;
                } else {
                    skip(in, size);
                }
                skipPadding(in, size);
            }
        }
        return files;
    }

    private static String paxPath(byte[] meta) {
        String text = new String(meta, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.startsWith("path=", space + 1)) {
                return line.substring(space + 6);
            }
        }
        return null;
    }

    private static boolean readFully(InputStream in, byte[] buf) throws IOException {
        int n = in.readNBytes(buf, 0, buf.length);
        return n == buf.length;
    }

    private static byte[] readBytes(InputStream in, long size, Path tgz) throws IOException {
        byte[] b = in.readNBytes((int) size);
        if (b.length != size) {
            throw new IOException("Archive " + tgz + " is truncated");
        }
        return b;
    }

    private static void copy(InputStream in, OutputStream out, long size, Path tgz) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("Archive " + tgz + " is truncated");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void skip(InputStream in, long size) throws IOException {
        in.skipNBytes(size);
    }

    private static void skipPadding(InputStream in, long size) throws IOException {
        long pad = (BLOCK - size % BLOCK) % BLOCK;
        in.skipNBytes(pad);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int off, int len, Path tgz) throws IOException {
        String s = cString(b, off, len).trim();
        if (s.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException("Archive " + tgz + " has a corrupt tar header size field '" + s + "'", e);
        }
    }
}
