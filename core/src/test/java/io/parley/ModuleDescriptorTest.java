package io.parley;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The core is a JPMS module that exports only its API packages and requires nothing beyond java.base. */
class ModuleDescriptorTest {

    private static ModuleDescriptor compiledDescriptor() throws URISyntaxException {
        Path classes = Path.of(Parley.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleReference reference = ModuleFinder.of(classes).find("io.parley").orElseThrow(
                () -> new AssertionError("no module io.parley in " + classes));
        return reference.descriptor();
    }

    @Test
    void exportsOnlyTheApiAndTheProtocolEngine() throws URISyntaxException {
        Set<String> exported = compiledDescriptor().exports().stream()
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());

        assertThat(exported).containsExactlyInAnyOrder("io.parley", "io.parley.protocol");
        assertThat(compiledDescriptor().packages()).contains("io.parley.internal.driver", "io.parley.internal.tcp");
    }

    @Test
    void requiresNothingButJavaBase() throws URISyntaxException {
        Set<String> required = compiledDescriptor().requires().stream()
                .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());

        assertThat(required).containsExactly("java.base");
    }
}
