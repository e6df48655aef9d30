package io.parley.purity;

import io.parley.protocol.ProtocolEngine;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sans-I/O protocol core ({@code io.parley.protocol}) stays pure: its compiled classes, read as class
 * files, refer to no socket, file, thread, lock, clock or logger and use no monitor ({@link PurityRules}). Two
 * fixtures show the check notices what it is for and does not see what is not there.
 */
class ProtocolPurityTest {

    private static List<Path> protocolClassFiles() throws URISyntaxException, IOException {
        Path classes = Path.of(ProtocolEngine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(classes.resolve("io/parley/protocol"))) {
            return files.filter(f -> f.toString().endsWith(".class")).sorted().toList();
        }
    }

    private static ClassFacts read(Path classFile) {
        try {
            return ClassFileReader.read(Files.readAllBytes(classFile));
        } catch (IOException e) {
            throw new UncheckedIOException(classFile.toString(), e);
        }
    }

    private static byte[] fixtureBytes(Class<?> fixture) throws IOException {
        try (InputStream in = fixture.getResourceAsStream(fixture.getSimpleName() + ".class")) {
            assertThat(in).as("the compiled %s", fixture).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void theProtocolCoreRefersToNoSocketThreadLockClockOrLogger() throws Exception {
        List<ClassFacts> classes = protocolClassFiles().stream().map(ProtocolPurityTest::read).toList();
        List<String> violations = new ArrayList<>();
        classes.forEach(facts -> violations.addAll(PurityRules.violations(facts)));

        assertThat(classes).as("the compiled protocol classes were found")
                .extracting(ClassFacts::name).contains("io/parley/protocol/ProtocolEngine",
                        "io/parley/protocol/FrameDecoder", "io/parley/protocol/FrameEncoder");
        assertThat(violations).as("impure references in io.parley.protocol").isEmpty();
    }

    @Test
    void theCheckFlagsAClockALockAndMonitors() throws IOException {
        List<String> violations = PurityRules.violations(ClassFileReader.read(fixtureBytes(ImpureFixture.class)));

        String fixture = "io/parley/purity/ImpureFixture: ";
        assertThat(violations).contains(
                fixture + "refers to java/util/concurrent/locks/ReentrantLock",
                fixture + "uses java/lang/System.nanoTime()J",
                fixture + "synchronized method lastStamp()J",
                fixture + "monitorenter in await()V");
        assertThat(violations).anySatisfy(v -> assertThat(v).startsWith(fixture + "uses ").endsWith(".wait(J)V"));
    }

    @Test
    void theCheckFindsMonitorenterOnlyWhereAnInstructionStarts() throws IOException {
        byte[] classFile = fixtureBytes(PureFixture.class);
        ClassFacts facts = ClassFileReader.read(classFile);

        assertThat(classFile).as("the fixture has the byte of monitorenter").contains((byte) 0xC2);
        assertThat(facts.name()).isEqualTo("io/parley/purity/PureFixture");
        assertThat(facts.types()).contains("java/lang/Object");
        assertThat(PurityRules.violations(facts)).isEmpty();
    }
}
