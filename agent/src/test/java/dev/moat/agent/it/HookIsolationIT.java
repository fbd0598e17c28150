package dev.moat.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.bridge.MoatBridge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs inside the failsafe JVM, which has the real agent jar attached (see the agent pom). */
class HookIsolationIT {

    @AfterEach
    void noAdviceFailed() {
        assertThat(MoatBridge.adviceFailures()).as("advice failures counted by the bridge").isZero();
    }

    @Test
    void theBridgeLivesInTheBootLoaderAndTheAgentIsInvisibleToTheApplication() {
        assertThat(MoatBridge.class.getClassLoader()).isNull();
        assertThatThrownBy(() -> Class.forName("dev.moat.agent.AgentInstaller"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("dev.moat.shaded.net.bytebuddy.ByteBuddy"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(ClassLoader.getSystemResource("dev/moat/agent/AgentInstaller.class")).isNull();
    }

    @Test
    void processStartsAreSeenThroughTheBootstrapBridge() throws Exception {
        String marker = "moat-hook-" + System.nanoTime();
        Process p = new ProcessBuilder("sh", "-c", "exit 0", marker).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Path audit = Paths.get(System.getProperty("moat.it.audit"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String text = "";
        while (System.nanoTime() < deadline) {
            text = Files.exists(audit) ? Files.readString(audit) : "";
            if (text.contains(marker)) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(text).contains("\"event.action\":\"process-start\"").contains(marker);
    }
}
