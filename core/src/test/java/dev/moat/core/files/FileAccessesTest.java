package dev.moat.core.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FileAccessesTest {

    @Test
    void opensMapToReadWriteOrCreate() {
        assertThat(FileAccesses.forOpenOptions(Set.of(), true)).isEqualTo(FileAccesses.READ);
        assertThat(FileAccesses.forOpenOptions(Set.of(StandardOpenOption.READ), false)).isEqualTo(FileAccesses.READ);
        // CREATE is ignored when only reading (UnixChannelFactory)
        assertThat(FileAccesses.forOpenOptions(Set.of(StandardOpenOption.READ, StandardOpenOption.CREATE), false))
                .isEqualTo(FileAccesses.READ);
        assertThat(FileAccesses.forOpenOptions(Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING), true)).isEqualTo(FileAccesses.WRITE);
        assertThat(FileAccesses.forOpenOptions(Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE), false))
                .isEqualTo(FileAccesses.CREATE);
        assertThat(FileAccesses.forOpenOptions(Set.of(StandardOpenOption.APPEND), true)).isEqualTo(FileAccesses.WRITE);
        assertThat(FileAccesses.forOpenOptions(Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW), false))
                .isEqualTo(FileAccesses.CREATE);
        // WRITE without CREATE on a missing file fails in the kernel; decided as a write
        assertThat(FileAccesses.forOpenOptions(Set.of(StandardOpenOption.WRITE), false)).isEqualTo(FileAccesses.WRITE);
        assertThat(FileAccesses.forOpenOptions(Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE), true))
                .isEqualTo(FileAccesses.READ | FileAccesses.WRITE);
        assertThat(FileAccesses.forOpenOptions(Set.of(StandardOpenOption.READ, StandardOpenOption.DELETE_ON_CLOSE), true))
                .isEqualTo(FileAccesses.READ | FileAccesses.DELETE);
    }

    @Test
    void opensThatActOnALinkItself() {
        assertThat(FileAccesses.opensLinkItself(Set.of(StandardOpenOption.READ))).isFalse();
        assertThat(FileAccesses.opensLinkItself(Set.of(LinkOption.NOFOLLOW_LINKS))).isTrue();
        assertThat(FileAccesses.opensLinkItself(Set.of(StandardOpenOption.DELETE_ON_CLOSE))).isTrue();
        assertThat(FileAccesses.opensLinkItself(Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW))).isTrue();
        assertThat(FileAccesses.opensLinkItself(Set.of(StandardOpenOption.READ, StandardOpenOption.CREATE_NEW))).isFalse();
    }

    @Test
    void javaIoOpens() {
        assertThat(FileAccesses.forOutputStream(true)).isEqualTo(FileAccesses.WRITE);
        assertThat(FileAccesses.forOutputStream(false)).isEqualTo(FileAccesses.CREATE);
        assertThat(FileAccesses.forRandomAccess(1, true)).isEqualTo(FileAccesses.READ);
        assertThat(FileAccesses.forRandomAccess(2, true)).isEqualTo(FileAccesses.READ | FileAccesses.WRITE);
        assertThat(FileAccesses.forRandomAccess(2 | 4, false)).isEqualTo(FileAccesses.CREATE);
        assertThat(FileAccesses.forTarget(true)).isEqualTo(FileAccesses.WRITE);
        assertThat(FileAccesses.forTarget(false)).isEqualTo(FileAccesses.CREATE);
    }

    @Test
    void options() {
        assertThat(FileAccesses.noFollow(null)).isFalse();
        assertThat(FileAccesses.noFollow(new Object[] {StandardCopyOption.REPLACE_EXISTING})).isFalse();
        assertThat(FileAccesses.noFollow(new Object[] {LinkOption.NOFOLLOW_LINKS})).isTrue();
        assertThat(FileAccesses.replaces(new Object[] {StandardCopyOption.REPLACE_EXISTING})).isTrue();
    }
}
