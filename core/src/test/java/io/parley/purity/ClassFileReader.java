package io.parley.purity;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads from a class file (JVMS chapter 4) what the purity rules look at: the classes and members its constant
 * pool refers to, the types in its own descriptors, its synchronized methods, and the methods whose code
 * holds a monitorenter instruction (found by walking the instructions, never by searching for the byte).
 */
final class ClassFileReader {
    private static final int MAGIC = 0xCAFEBABE;
    private static final int ACC_SYNCHRONIZED = 0x0020;
    private static final Pattern OBJECT_TYPE = Pattern.compile("L([^;]+);");
    private static final int UTF8 = 1;
    private static final int INTEGER = 3;
    private static final int FLOAT = 4;
    private static final int LONG = 5;
    private static final int DOUBLE = 6;
    private static final int CLASS = 7;
    private static final int STRING = 8;
    private static final int FIELDREF = 9;
    private static final int METHODREF = 10;
    private static final int INTERFACE_METHODREF = 11;
    private static final int NAME_AND_TYPE = 12;
    private static final int METHOD_HANDLE = 15;
    private static final int METHOD_TYPE = 16;
    private static final int DYNAMIC = 17;
    private static final int INVOKE_DYNAMIC = 18;
    private static final int MODULE = 19;
    private static final int PACKAGE = 20;

    private final DataInputStream in;
    private Object[] pool;
    private final Set<String> types = new LinkedHashSet<>();
    private final Set<ClassFacts.Member> members = new LinkedHashSet<>();
    private final List<String> synchronizedMethods = new ArrayList<>();
    private final List<String> monitorMethods = new ArrayList<>();

    private ClassFileReader(byte[] classFile) {
        this.in = new DataInputStream(new ByteArrayInputStream(classFile));
    }

    /** The facts of {@code classFile}; fails on anything that is not a well-formed class file. */
    static ClassFacts read(byte[] classFile) throws IOException {
        return new ClassFileReader(classFile).read();
    }

    /** A pool entry that refers to others by index: kept until all entries are read, then resolved. */
    private record Ref(int tag, int first, int second) {
    }

    private ClassFacts read() throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a class file: bad magic");
        }
        in.readUnsignedShort(); // minor version
        in.readUnsignedShort(); // major version
        readPool();
        in.readUnsignedShort(); // access flags
        String name = className(in.readUnsignedShort());
        in.readUnsignedShort(); // super class: a Class entry, already among the types
        skip(in.readUnsignedShort() * 2L); // interfaces: Class entries too
        readMembers(false);
        readMembers(true);
        resolvePool();
        return new ClassFacts(name, types, members, synchronizedMethods, monitorMethods);
    }

    private void readPool() throws IOException {
        int count = in.readUnsignedShort();
        pool = new Object[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            pool[i] = switch (tag) {
                case UTF8 -> in.readUTF(); // u2 length and modified UTF-8, as readUTF reads it
                case INTEGER, FLOAT -> skip(4);
                case LONG, DOUBLE -> skip(8);
                case CLASS, STRING, METHOD_TYPE, MODULE, PACKAGE -> new Ref(tag, in.readUnsignedShort(), 0);
                case FIELDREF, METHODREF, INTERFACE_METHODREF, NAME_AND_TYPE, DYNAMIC, INVOKE_DYNAMIC ->
                        new Ref(tag, in.readUnsignedShort(), in.readUnsignedShort());
                case METHOD_HANDLE -> new Ref(tag, in.readUnsignedByte(), in.readUnsignedShort());
                default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
            };
            if (tag == LONG || tag == DOUBLE) {
                i++; // takes two entries
            }
        }
    }

    private void resolvePool() {
        for (Object entry : pool) {
            if (entry instanceof Ref ref) {
                switch (ref.tag()) {
                    case CLASS -> addTypesOf(utf8(ref.first()));
                    case FIELDREF, METHODREF, INTERFACE_METHODREF -> {
                        Ref nameAndType = (Ref) pool[ref.second()];
                        members.add(new ClassFacts.Member(className(ref.first()), utf8(nameAndType.first()),
                                utf8(nameAndType.second())));
                    }
                    case NAME_AND_TYPE -> addTypesOf(utf8(ref.second()));
                    case METHOD_TYPE -> addTypesOf(utf8(ref.first()));
                    default -> {
                        // String, Module, Package: text, no reference; MethodHandle, (Invoke)Dynamic: they
                        // point at a *ref or a NameAndType entry, which is checked as itself
                    }
                }
            }
        }
    }

    private void readMembers(boolean methods) throws IOException {
        int count = in.readUnsignedShort();
        for (int i = 0; i < count; i++) {
            int access = in.readUnsignedShort();
            String name = utf8(in.readUnsignedShort()) + descriptor(in.readUnsignedShort());
            if (methods && (access & ACC_SYNCHRONIZED) != 0) {
                synchronizedMethods.add(name);
            }
            int attributes = in.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                String attribute = utf8(in.readUnsignedShort());
                byte[] body = in.readNBytes(in.readInt());
                if (methods && attribute.equals("Code") && Bytecode.hasMonitorEnter(code(body))) {
                    monitorMethods.add(name);
                }
            }
        }
    }

    /** The code array of a Code attribute's body: after max_stack, max_locals and code_length. */
    private static byte[] code(byte[] body) throws IOException {
        DataInputStream code = new DataInputStream(new ByteArrayInputStream(body));
        code.readUnsignedShort();
        code.readUnsignedShort();
        return code.readNBytes(code.readInt());
    }

    /** A member's descriptor, whose types count as referred to, like the pool's. */
    private String descriptor(int index) {
        String descriptor = utf8(index);
        addTypesOf(descriptor);
        return descriptor;
    }

    private void addTypesOf(String classNameOrDescriptor) {
        if (!classNameOrDescriptor.startsWith("[") && !classNameOrDescriptor.startsWith("(")) {
            types.add(classNameOrDescriptor);
            return;
        }
        Matcher m = OBJECT_TYPE.matcher(classNameOrDescriptor);
        while (m.find()) {
            types.add(m.group(1));
        }
    }

    private String className(int classIndex) {
        return utf8(((Ref) pool[classIndex]).first());
    }

    private String utf8(int index) {
        return (String) pool[index];
    }

    private Object skip(long bytes) throws IOException {
        in.skipNBytes(bytes);
        return null;
    }
}
