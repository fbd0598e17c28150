package dev.moat.demo.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileToolsTest {

    @TempDir
    Path dir;

    @Test
    void writeReadListDelete() throws Exception {
        Path file = dir.resolve("notes.txt");
        Files.createDirectory(dir.resolve("sub"));

        String wrote = DemoToolText.of(new WriteFileTool().call(Map.of("path", file.toString(), "content", "héllo")));
        assertThat(wrote).isEqualTo("Wrote 6 bytes to " + file);
        assertThat(Files.readString(file)).isEqualTo("héllo");

        assertThat(DemoToolText.of(new ReadFileTool().call(Map.of("path", file.toString())))).isEqualTo("héllo");
        assertThat(DemoToolText.of(new ListDirectoryTool().call(Map.of("path", dir.toString()))))
                .isEqualTo("notes.txt\nsub/");

        assertThat(DemoToolText.of(new DeleteFileTool().call(Map.of("path", file.toString()))))
                .isEqualTo("Deleted " + file);
        assertThat(file).doesNotExist();
    }

    @Test
    void pathsAreNotValidated() throws Exception {
        // mistake #2, on purpose: ".." walks out of the directory the caller meant
        Files.writeString(dir.resolve("secret.txt"), "s3cret");
        Path workspace = Files.createDirectory(dir.resolve("workspace"));
        String traversal = workspace + "/../secret.txt";
        assertThat(DemoToolText.of(new ReadFileTool().call(Map.of("path", traversal)))).isEqualTo("s3cret");
    }

    @Test
    void failuresAreExceptions() {
        String missing = dir.resolve("missing").toString();
        assertThatThrownBy(() -> new ReadFileTool().call(Map.of("path", missing))).isInstanceOf(FileNotFoundException.class);
        assertThatThrownBy(() -> new DeleteFileTool().call(Map.of("path", missing))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> new ListDirectoryTool().call(Map.of("path", missing)))
                .isInstanceOf(ToolException.class).hasMessageContaining("not a directory");
        assertThatThrownBy(() -> new WriteFileTool().call(Map.of("path", missing)))
                .isInstanceOf(ToolException.class).hasMessage("missing required argument 'content'");
    }

    @Test
    void emptyDirectoryListsNothing() throws Exception {
        assertThat(DemoToolText.of(new ListDirectoryTool().call(Map.of("path", dir.toString())))).isEmpty();
    }
}
