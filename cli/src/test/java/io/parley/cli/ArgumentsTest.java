package io.parley.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tiny option parser. */
class ArgumentsTest {
    private static final List<Option> OPTIONS = List.of(
            Option.value("port", "P", "port"),
            Option.repeatable("deny", "NAME", "deny"),
            new Option("verbose", null, false, "a flag"));

    @Test
    void readsValuesInBothSpellingsRepeatsAndFlags() throws Exception {
        Arguments arguments = Arguments.parse(List.of("--port=7000", "--deny", "a", "--deny", "b", "--verbose"),
                OPTIONS);

        assertThat(arguments.number("port", 0, 65535)).isEqualTo(7000);
        assertThat(arguments.all("deny")).containsExactly("a", "b");
        assertThat(arguments.has("verbose")).isTrue();
        assertThat(arguments.text("missing", "fallback")).isEqualTo("fallback");
    }

    @Test
    void rejectsWhatItDoesNotKnow() {
        assertRejected(List.of("--colour", "red"), "unknown option --colour");
        assertRejected(List.of("7000"), "unexpected argument '7000'");
        assertRejected(List.of("--port"), "--port P needs a value");
        assertRejected(List.of("--port", "--verbose"), "--port P needs a value");
        assertRejected(List.of("--port", "1", "--port", "2"), "--port is given more than once");
        assertRejected(List.of("--verbose=yes"), "--verbose takes no value");
    }

    @Test
    void checksNumbers() throws Exception {
        Arguments arguments = Arguments.parse(List.of("--port", "70000"), OPTIONS);

        assertThatThrownBy(() -> arguments.number("port", 0, 65535))
                .hasMessage("--port must be between 0 and 65535, not 70000");
        assertThatThrownBy(() -> Arguments.parse(List.of("--port", "x"), OPTIONS).number("port", 0, 9))
                .hasMessage("--port must be a whole number, not 'x'");
        assertThat(Arguments.parse(List.of(), OPTIONS).number("port", 5, 0, 9)).isEqualTo(5);
    }

    private static void assertRejected(List<String> args, String message) {
        assertThatThrownBy(() -> Arguments.parse(args, OPTIONS)).isInstanceOf(UsageException.class).hasMessage(message);
    }
}
