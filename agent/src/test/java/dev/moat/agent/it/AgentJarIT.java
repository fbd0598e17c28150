package dev.moat.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The product jar: one self-contained file, libraries relocated, implementation hidden. */
class AgentJarIT {

    @Test
    void holdsNothingOutsideDevMoatAndMetaInf() throws Exception {
        try (JarFile jar = new JarFile(ChildJvm.agentJar().toFile())) {
            List<String> names = jar.stream().map(JarEntry::getName).toList();
            assertThat(names).isNotEmpty().allMatch(n -> n.startsWith("dev/moat/") || n.startsWith("META-INF/")
                    || n.equals("dev/"), "every entry is under dev/moat/ or META-INF/");
            // Only the launcher and the bridge are ordinary classes; the rest is isolated.
            assertThat(names.stream().filter(n -> n.endsWith(".class")))
                    .allMatch(n -> n.startsWith("dev/moat/agent/launcher/") || n.startsWith("dev/moat/bridge/"));
            assertThat(names).contains("dev/moat/isolated/dev/moat/agent/AgentInstaller.classdata",
                    "dev/moat/isolated/dev/moat/shaded/net/bytebuddy/ByteBuddy.classdata",
                    "dev/moat/isolated/dev/moat/shaded/com/fasterxml/jackson/databind/ObjectMapper.classdata",
                    "dev/moat/isolated/dev/moat/core/audit/AuditLog.classdata");
            Attributes main = jar.getManifest().getMainAttributes();
            assertThat(main.getValue("Premain-Class")).isEqualTo("dev.moat.agent.launcher.MoatLauncher");
            assertThat(main.getValue("Agent-Class")).isEqualTo("dev.moat.agent.launcher.MoatLauncher");
            assertThat(main.getValue("Can-Retransform-Classes")).isEqualTo("true");
            assertThat(main.getValue("Moat-Agent-Jar")).isEqualTo("true");
        }
    }
}
