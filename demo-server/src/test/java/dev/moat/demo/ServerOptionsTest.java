package dev.moat.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.demo.ServerOptions.Transport;
import dev.moat.demo.ServerOptions.UsageException;
import org.junit.jupiter.api.Test;

class ServerOptionsTest {

    @Test
    void defaultsToStdio() throws UsageException {
        assertThat(ServerOptions.parse()).isEqualTo(new ServerOptions(Transport.STDIO, 0, false));
        assertThat(ServerOptions.parse("--transport", "stdio")).isEqualTo(new ServerOptions(Transport.STDIO, 0, false));
    }

    @Test
    void parsesHttpWithAndWithoutPort() throws UsageException {
        assertThat(ServerOptions.parse("--transport", "http", "--port", "8123"))
                .isEqualTo(new ServerOptions(Transport.HTTP, 8123, false));
        assertThat(ServerOptions.parse("--port=0", "--transport=http"))
                .isEqualTo(new ServerOptions(Transport.HTTP, 0, false));
        assertThat(ServerOptions.parse("--transport", "http")).isEqualTo(new ServerOptions(Transport.HTTP, 0, false));
    }

    @Test
    void help() throws UsageException {
        assertThat(ServerOptions.parse("--help").help()).isTrue();
        assertThat(ServerOptions.parse("-h").help()).isTrue();
    }

    @Test
    void rejectsBadArguments() {
        assertBad("unknown argument '--verbose'", "--verbose");
        assertBad("unknown argument 'stdio'", "stdio");
        assertBad("unknown transport 'sse' (expected stdio or http)", "--transport", "sse");
        assertBad("--transport needs a value", "--transport");
        assertBad("--port needs a value", "--transport", "http", "--port");
        assertBad("--port needs a value", "--port", "--transport", "http");
        assertBad("invalid port 'abc' (expected 0-65535)", "--transport", "http", "--port", "abc");
        assertBad("invalid port '65536' (expected 0-65535)", "--transport", "http", "--port", "65536");
        assertBad("invalid port '-1' (expected 0-65535)", "--transport", "http", "--port=-1");
        assertBad("--port only applies to --transport http", "--port", "80");
        assertBad("--transport given twice", "--transport", "http", "--transport", "stdio");
    }

    private static void assertBad(String message, String... args) {
        assertThatThrownBy(() -> ServerOptions.parse(args)).isInstanceOf(UsageException.class).hasMessage(message);
    }
}
