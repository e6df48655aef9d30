package io.parley.purity;

import java.util.List;
import java.util.Set;

/**
 * What one class file refers to and does, as {@link ClassFileReader} reads it. Names are the class file's
 * internal ones ({@code java/lang/System}, {@code Outer$Inner}); methods are named with their descriptor.
 *
 * @param name                the class
 * @param types               every class or interface named in its constant pool or in its descriptors
 * @param members             every field and method it refers to
 * @param synchronizedMethods its methods with ACC_SYNCHRONIZED
 * @param monitorMethods      its methods whose code has a monitorenter instruction
 */
record ClassFacts(String name, Set<String> types, Set<Member> members, List<String> synchronizedMethods,
        List<String> monitorMethods) {

    /**
     * A field or method referred to.
     *
     * @param owner      the class named in the reference
     * @param name       the member's name
     * @param descriptor its descriptor
     */
    record Member(String owner, String name, String descriptor) {
        @Override
        public String toString() {
            return owner + "." + name + descriptor;
        }
    }
}
