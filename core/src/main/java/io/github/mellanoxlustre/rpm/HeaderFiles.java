package io.github.mellanoxlustre.rpm;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Iterator;
import java.util.RandomAccess;
import java.util.Spliterator;
import java.util.Spliterators;

/**
 * File paths DIRNAMES[DIRINDEXES[i]] + BASENAMES[i], joined and decoded when asked for (rpm joins
 * the bytes, then prints them, so the bytes are joined before decoding). The arrays were checked
 * by {@link RpmReader}: one count for BASENAMES and DIRINDEXES, every index inside DIRNAMES.
 * Immutable.
 */
final class HeaderFiles extends AbstractList<String> implements RandomAccess {
    private final HeaderStrings dirs;
    private final HeaderBlob.HeaderInts dirIndexes;
    private final HeaderStrings bases;

    HeaderFiles(HeaderStrings dirs, HeaderBlob.HeaderInts dirIndexes, HeaderStrings bases) {
        this.dirs = dirs;
        this.dirIndexes = dirIndexes;
        this.bases = bases;
    }

    @Override
    public int size() {
        return bases.size();
    }

    @Override
    public String get(int index) {
        int b = bases.start(index);
        return join(dirs.start(dirIndexes.get(index)), b, bases.length(b));
    }

    private String join(int dirStart, int baseStart, int baseLength) {
        int dirLength = dirs.length(dirStart);
        byte[] joined = new byte[dirLength + baseLength];
        System.arraycopy(dirs.bytes(), dirStart, joined, 0, dirLength);
        System.arraycopy(bases.bytes(), baseStart, joined, dirLength, baseLength);
        return new String(joined, StandardCharsets.UTF_8);
    }

    @Override
    public Iterator<String> iterator() {
        HeaderStrings.Cursor c = bases.cursor();
        return new Iterator<>() {
            private int index;
            private int lastDir = -1;
            private int lastDirStart;

            @Override
            public boolean hasNext() {
                return c.hasNext();
            }

            @Override
            public String next() {
                int b = c.next();
                int d = dirIndexes.get(index++);
                if (d != lastDir) {
                    lastDirStart = dirs.start(d);
                    lastDir = d;
                }
                return join(lastDirStart, b, c.lastEnd() - b);
            }
        };
    }

    @Override
    public Spliterator<String> spliterator() {
        return Spliterators.spliterator(iterator(), size(),
                Spliterator.ORDERED | Spliterator.SIZED | Spliterator.IMMUTABLE | Spliterator.NONNULL);
    }
}
