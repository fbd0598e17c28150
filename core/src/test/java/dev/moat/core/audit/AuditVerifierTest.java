package dev.moat.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way of tampering with a log is found, and named by line and sequence. */
class AuditVerifierTest {

    @TempDir
    Path dir;
    private Path log;
    private List<String> lines;

    @BeforeEach
    void writeALog() throws IOException {
        log = dir.resolve("audit.jsonl");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (AuditLog audit = new AuditLog(List.of(new FileAuditSink(log)), "test", quiet)) {
            for (int i = 1; i <= 10; i++) {
                audit.record(AuditEvent.of("tool-call", "api").put("event.outcome", "success").put("mcp.tool.name", "t" + i));
            }
        }
        lines = Files.readAllLines(log);
        assertThat(lines).hasSize(10);
    }

    private AuditVerifier.Report verifyCopy(UnaryOperator<List<String>> edit) throws IOException {
        Path copy = dir.resolve("edited.jsonl");
        Files.write(copy, edit.apply(new ArrayList<>(lines)));
        return AuditVerifier.verify(List.of(copy), false);
    }

    private static void assertBroken(AuditVerifier.Report report, AuditVerifier.Kind kind, long line, Long sequence) {
        assertThat(report.intact()).as(report.summary()).isFalse();
        assertThat(report.problem().kind()).as(report.summary()).isEqualTo(kind);
        assertThat(report.problem().line()).as(report.summary()).isEqualTo(line);
        assertThat(report.problem().sequence()).as(report.summary()).isEqualTo(sequence);
        assertThat(report.summary()).startsWith("BROKEN: ").contains("edited.jsonl:" + line);
    }

    @Test
    void anUntouchedLogIsIntact() throws IOException {
        AuditVerifier.Report report = AuditVerifier.verify(List.of(log), false);
        assertThat(report.intact()).as(report.summary()).isTrue();
        assertThat(report.events()).isEqualTo(10);
        assertThat(report.summary()).isEqualTo("OK: 10 events in 1 file, hash chain intact (event.sequence 1 to 10)");
    }

    @Test
    void anEditedFieldIsNamed() throws IOException {
        AuditVerifier.Report report = verifyCopy(l -> {
            l.set(3, l.get(3).replace("\"t4\"", "\"t5\""));
            return l;
        });
        assertBroken(report, AuditVerifier.Kind.EDITED, 4, 4L);
        assertThat(report.summary()).contains("does not match its moat.hash");
    }

    @Test
    void anEditedOutcomeWithTheSameLengthIsNamed() throws IOException {
        AuditVerifier.Report report = verifyCopy(l -> {
            l.set(6, l.get(6).replace("\"success\"", "\"failure\""));
            return l;
        });
        assertBroken(report, AuditVerifier.Kind.EDITED, 7, 7L);
    }

    @Test
    void aDeletedLineIsNamedAsMissing() throws IOException {
        AuditVerifier.Report report = verifyCopy(l -> {
            l.remove(4);
            return l;
        });
        assertBroken(report, AuditVerifier.Kind.MISSING, 5, 6L);
        assertThat(report.summary()).contains("event.sequence 5 is missing");
    }

    @Test
    void severalDeletedLinesAreNamedAsARange() throws IOException {
        AuditVerifier.Report report = verifyCopy(l -> {
            l.subList(2, 5).clear();
            return l;
        });
        assertBroken(report, AuditVerifier.Kind.MISSING, 3, 6L);
        assertThat(report.summary()).contains("event.sequence 3 to 5 are missing");
    }

    @Test
    void swappedLinesAreNamedAsReordered() throws IOException {
        AuditVerifier.Report report = verifyCopy(l -> {
            Collections.swap(l, 4, 5);
            return l;
        });
        assertBroken(report, AuditVerifier.Kind.REORDERED, 5, 6L);
        assertThat(report.summary()).contains("expected event.sequence 5 here; it appears later, at edited.jsonl:6");
    }

    @Test
    void aTruncatedLineIsNamed() throws IOException {
        AuditVerifier.Report report = verifyCopy(l -> {
            l.set(6, l.get(6).substring(0, l.get(6).length() / 2));
            return l;
        });
        assertBroken(report, AuditVerifier.Kind.TRUNCATED, 7, null);
    }

    @Test
    void aTruncatedLastLineIsNamed() throws IOException {
        Path copy = dir.resolve("edited.jsonl");
        byte[] bytes = Files.readAllBytes(log);
        Files.write(copy, java.util.Arrays.copyOf(bytes, bytes.length - 30));
        AuditVerifier.Report report = AuditVerifier.verify(List.of(copy), false);
        assertBroken(report, AuditVerifier.Kind.TRUNCATED, 10, 10L);
    }

    @Test
    void anInsertedForeignLineIsNamed() throws IOException {
        AuditVerifier.Report report = verifyCopy(l -> {
            l.add(2, "{\"event.action\":\"tool-call\",\"mcp.tool.name\":\"innocent\"}");
            return l;
        });
        assertBroken(report, AuditVerifier.Kind.NOT_SEALED, 3, null);
    }

    @Test
    void anInsertedCopyOfAnEarlierEventIsNamed() throws IOException {
        AuditVerifier.Report report = verifyCopy(l -> {
            l.add(8, l.get(1));
            return l;
        });
        assertBroken(report, AuditVerifier.Kind.DUPLICATED, 9, 2L);
    }

    @Test
    void anInsertedEventWithAValidHashOfItsOwnBreaksTheNextLink() throws IOException {
        AuditVerifier.Report report = verifyCopy(l -> {
            // A forger who knows the format seals a new event 5 linked to event 4 and inserts it.
            String prev = l.get(3).replaceAll(".*\"moat.hash\":\"([0-9a-f]{64})\"}$", "$1");
            String body = "{\"event.action\":\"tool-call\",\"mcp.tool.name\":\"forged\",\"event.sequence\":5,\"moat.prev\":\""
                    + prev + "\"}";
            byte[] sealed = new AuditChain(prev).seal(body.getBytes(StandardCharsets.UTF_8), body.length());
            l.add(4, new String(sealed, 0, sealed.length - 1, StandardCharsets.UTF_8));
            return l;
        });
        assertBroken(report, AuditVerifier.Kind.DUPLICATED, 6, 5L);
    }

    @Test
    void aReplacedEventWithARecomputedHashBreaksTheNextLink() throws IOException {
        AuditVerifier.Report report = verifyCopy(l -> {
            String original = l.get(3);
            String prev = original.replaceAll(".*\"moat.prev\":\"([0-9a-f]{64})\".*", "$1");
            String body = original.substring(0, original.length() - 1 - AuditChain.SUFFIX_LENGTH)
                    .replace("\"t4\"", "\"t9\"") + "}";
            byte[] sealed = new AuditChain(prev).seal(body.getBytes(StandardCharsets.UTF_8), body.length());
            l.set(3, new String(sealed, 0, sealed.length - 1, StandardCharsets.UTF_8));
            return l;
        });
        assertBroken(report, AuditVerifier.Kind.CHAIN_BROKEN, 5, 5L);
    }

    @Test
    void aReSerialisedEventIsNamed() throws IOException {
        AuditVerifier.Report report = verifyCopy(l -> {
            l.set(1, l.get(1).replace(",\"agent.name\"", ", \"agent.name\""));
            return l;
        });
        assertBroken(report, AuditVerifier.Kind.EDITED, 2, 2L);
    }

    @Test
    void anInsertedEmptyLineIsNamed() throws IOException {
        AuditVerifier.Report report = verifyCopy(l -> {
            l.add(5, "");
            return l;
        });
        assertBroken(report, AuditVerifier.Kind.MALFORMED, 6, null);
    }

    @Test
    void aDeletedFirstLineMeansTheLogIsIncompleteUnlessPartial() throws IOException {
        AuditVerifier.Report report = verifyCopy(l -> {
            l.remove(0);
            return l;
        });
        assertBroken(report, AuditVerifier.Kind.INCOMPLETE, 1, 2L);
        AuditVerifier.Report partial = AuditVerifier.verify(List.of(dir.resolve("edited.jsonl")), true);
        assertThat(partial.intact()).as(partial.summary()).isTrue();
        assertThat(partial.notes()).anyMatch(n -> n.contains("starts at event.sequence 2"));
    }

    @Test
    void anEmptyLogIsNotIntact() throws IOException {
        AuditVerifier.Report report = verifyCopy(l -> List.of());
        assertThat(report.intact()).isFalse();
        assertThat(report.problem().kind()).isEqualTo(AuditVerifier.Kind.EMPTY);
    }

    @Test
    void filesAreOneChainInTheOrderGivenAndAWrongOrderIsNamed() throws IOException {
        Path older = dir.resolve("audit.jsonl.1");
        Path newer = dir.resolve("audit.jsonl.0");
        Files.write(older, lines.subList(0, 6));
        Files.write(newer, lines.subList(6, 10));
        AuditVerifier.Report ok = AuditVerifier.verify(List.of(older, newer), false);
        assertThat(ok.intact()).as(ok.summary()).isTrue();
        assertThat(ok.summary()).contains("10 events in 2 files");
        AuditVerifier.Report wrong = AuditVerifier.verify(List.of(newer, older), true);
        assertThat(wrong.intact()).isFalse();
        assertThat(wrong.problem().file()).isEqualTo(older);
        assertThat(wrong.problem().line()).isEqualTo(1);
    }

    @Test
    void eventsRemovedFromTheEndOfARunAreFoundWhenTheNextRunStarts() throws IOException {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (AuditLog audit = new AuditLog(List.of(new FileAuditSink(log)), "test", quiet)) {
            audit.record(AuditEvent.of("agent-start", "configuration"));
        }
        List<String> twoRuns = Files.readAllLines(log);
        assertThat(twoRuns).hasSize(11);
        assertThat(AuditVerifier.verify(List.of(log), false).intact()).isTrue();
        lines = twoRuns;
        AuditVerifier.Report report = verifyCopy(l -> {
            l.remove(9);
            return l;
        });
        assertBroken(report, AuditVerifier.Kind.CHAIN_BROKEN, 10, 1L);
        assertThat(report.summary()).contains("a new agent run starts here");
    }
}
