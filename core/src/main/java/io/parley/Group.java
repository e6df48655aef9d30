package io.parley;

import java.util.Objects;

/**
 * A socket group request or result: which group, and this connection's relative priority in it
 * (SO_GROUP_PRIORITY; 0 is the highest).
 *
 * @param kind     none, join an existing group, or create one
 * @param id       the group id (for {@link GroupKind#JOIN}, and in results); 0 otherwise
 * @param priority relative priority within the group, 0..65535
 */
public record Group(GroupKind kind, long id, int priority) {

    /** No group. */
    public static final Group NONE = new Group(GroupKind.NONE, 0, 0);

    /** Validates ranges: id is unsigned 32-bit, priority unsigned 16-bit. */
    public Group {
        Objects.requireNonNull(kind, "kind");
        if (id < 0 || id > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("group id is an unsigned 32-bit value: " + id);
        }
        if (priority < 0 || priority > 0xFFFF) {
            throw new IllegalArgumentException("group priority is an unsigned 16-bit value: " + priority);
        }
    }
}
