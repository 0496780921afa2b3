package io.github.mellanoxlustre.rpm;

import java.util.AbstractList;
import java.util.Iterator;
import java.util.RandomAccess;
import java.util.Spliterator;
import java.util.Spliterators;

/**
 * A dependency list (names, flags, versions of one kind) read from the header bytes when asked
 * for, so that a header of a million dependencies does not become a million objects at once.
 * The three arrays were checked to have one count. Immutable.
 */
final class HeaderDependencies extends AbstractList<RpmDependency> implements RandomAccess {
    private final HeaderStrings names;
    private final HeaderBlob.HeaderInts flags;
    private final HeaderStrings versions;

    /** {@code flags} and {@code versions} may be null (then 0 and empty), else as long as {@code names}. */
    HeaderDependencies(HeaderStrings names, HeaderBlob.HeaderInts flags, HeaderStrings versions) {
        this.names = names;
        this.flags = flags;
        this.versions = versions;
    }

    @Override
    public int size() {
        return names.size();
    }

    @Override
    public RpmDependency get(int index) {
        return new RpmDependency(names.get(index), flags == null ? 0 : flags.get(index),
                versions == null ? "" : versions.get(index));
    }

    @Override
    public Iterator<RpmDependency> iterator() {
        Iterator<String> n = names.iterator();
        Iterator<String> v = versions == null ? null : versions.iterator();
        return new Iterator<>() {
            private int index;

            @Override
            public boolean hasNext() {
                return n.hasNext();
            }

            @Override
            public RpmDependency next() {
                String name = n.next();
                int k = index++;
                return new RpmDependency(name, flags == null ? 0 : flags.get(k), v == null ? "" : v.next());
            }
        };
    }

    @Override
    public Spliterator<RpmDependency> spliterator() {
        return Spliterators.spliterator(iterator(), size(),
                Spliterator.ORDERED | Spliterator.SIZED | Spliterator.IMMUTABLE | Spliterator.NONNULL);
    }
}
