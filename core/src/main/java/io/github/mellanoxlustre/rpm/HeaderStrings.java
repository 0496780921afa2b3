package io.github.mellanoxlustre.rpm;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Spliterator;
import java.util.Spliterators;

/**
 * The strings of one STRING_ARRAY header entry, decoded only when asked for: the list keeps the
 * header bytes and where every {@value #MARK_EVERY}th string starts, never a {@code String} per
 * element. A header of a million one-character dependencies thus costs its own bytes plus a quarter
 * of them at most, where a {@code String} per element costs some 50 bytes each.
 *
 * <p>The bytes were checked by {@link HeaderBlob#parse}: {@code count} NUL-terminated strings lie
 * from {@code from} on, before {@code end}. Iterating is sequential and cheap; {@code get(i)} scans
 * at most {@value #MARK_EVERY} strings from the nearest mark. Immutable.
 */
final class HeaderStrings extends AbstractList<String> implements RandomAccess {
    private static final int MARK_SHIFT = 4;
    /** A string start is kept for every this many strings. */
    static final int MARK_EVERY = 1 << MARK_SHIFT;

    private final byte[] bytes;
    private final int end;
    private final int size;
    private final int[] marks;

    /** The {@code count} strings starting at {@code from} in {@code bytes}, all ending before {@code end}. */
    HeaderStrings(byte[] bytes, int from, int count, int end) {
        this.bytes = bytes;
        this.end = end;
        this.size = count;
        this.marks = new int[(count + MARK_EVERY - 1) >>> MARK_SHIFT];
        int p = from;
        for (int k = 0; k < count; k++) {
            if ((k & (MARK_EVERY - 1)) == 0) {
                marks[k >>> MARK_SHIFT] = p;
            }
            p = HeaderBlob.nul(bytes, p, end) + 1;
        }
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String get(int index) {
        int p = start(index);
        return decode(p, HeaderBlob.nul(bytes, p, end));
    }

    /** Where string {@code index} starts in the header bytes. */
    int start(int index) {
        Objects.checkIndex(index, size);
        int p = marks[index >>> MARK_SHIFT];
        for (int k = index & ~(MARK_EVERY - 1); k < index; k++) {
            p = HeaderBlob.nul(bytes, p, end) + 1;
        }
        return p;
    }

    /** Length in bytes of the string starting at {@code start}. */
    int length(int start) {
        return HeaderBlob.nul(bytes, start, end) - start;
    }

    /** The bytes these strings live in (for joining two strings' bytes before decoding). */
    byte[] bytes() {
        return bytes;
    }

    private String decode(int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.UTF_8);
    }

    /** A cursor over the string starts, in order. */
    Cursor cursor() {
        return new Cursor();
    }

    @Override
    public Iterator<String> iterator() {
        Cursor c = cursor();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return c.hasNext();
            }

            @Override
            public String next() {
                int p = c.next();
                return decode(p, c.lastEnd());
            }
        };
    }

    @Override
    public Spliterator<String> spliterator() {
        return Spliterators.spliterator(iterator(), size,
                Spliterator.ORDERED | Spliterator.SIZED | Spliterator.IMMUTABLE | Spliterator.NONNULL);
    }

    /** Sequential walk over the string starts: one NUL scan per string. */
    final class Cursor {
        private int index;
        private int next = size == 0 ? 0 : marks[0];
        private int lastEnd;

        boolean hasNext() {
            return index < size;
        }

        /** The start of the next string. */
        int next() {
            if (index >= size) {
                throw new NoSuchElementException();
            }
            int p = next;
            lastEnd = HeaderBlob.nul(bytes, p, end);
            next = lastEnd + 1;
            index++;
            return p;
        }

        /** Where the string last returned by {@link #next} ends (its NUL). */
        int lastEnd() {
            return lastEnd;
        }
    }
}
