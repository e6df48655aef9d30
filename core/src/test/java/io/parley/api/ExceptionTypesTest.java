package io.parley.api;

import io.parley.WinsockCoded;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The API's exceptions: each names its Winsock error, and none can be subclassed by accident. */
class ExceptionTypesTest {

    @Test
    void everyApiExceptionIsFinalOrSealedAndWinsockCoded() throws Exception {
        List<Class<?>> exceptions = apiClasses().stream().filter(Throwable.class::isAssignableFrom).toList();
        assertThat(exceptions).as("the API's exceptions").hasSizeGreaterThan(10);
        for (Class<?> type : exceptions) {
            assertThat(Modifier.isFinal(type.getModifiers()) || type.isSealed())
                    .as(type.getName() + " is final or sealed").isTrue();
            assertThat(WinsockCoded.class.isAssignableFrom(type)).as(type.getName() + " is WinsockCoded").isTrue();
            assertThat(IOException.class.isAssignableFrom(type)).as(type.getName() + " is an IOException").isTrue();
        }
    }

    /** The top-level and nested classes of package io.parley, from the compiled classes. */
    private static List<Class<?>> apiClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path dir = Path.of(WinsockCoded.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("io/parley");
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class"))
                    .filter(n -> !n.equals("package-info.class")).map(n -> n.substring(0, n.length() - 6))
                    .toList();
            List<Class<?>> classes = new java.util.ArrayList<>();
            for (String name : names) {
                classes.add(Class.forName("io.parley." + name));
            }
            return classes;
        }
    }
}
