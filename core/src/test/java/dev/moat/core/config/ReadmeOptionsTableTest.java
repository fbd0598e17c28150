package dev.moat.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's option table is the generated one: documentation cannot drift from the declarations. */
class ReadmeOptionsTableTest {

    @Test
    void readmeCarriesTheGeneratedOptionTable() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String start = "<!-- options-table:start -->\n";
        String end = "<!-- options-table:end -->";
        assertThat(readme).contains(start).contains(end);
        String table = readme.substring(readme.indexOf(start) + start.length(), readme.indexOf(end));
        assertThat(table).as("regenerate with AgentOptions.markdownTable()").isEqualTo(AgentOptions.markdownTable());
    }
}
