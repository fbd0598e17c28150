package dev.moat.core.policy;

import static dev.moat.core.policy.TestPolicies.ENV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of policy error, with its exact message: file:line:column: key.path: problem. */
class PolicyErrorsTest {

    static Stream<Arguments> errors() {
        return Stream.of(
                // --- the brief's example
                yaml("version: 1\nfiles:\n  allow:\n    - { path: /srv, access: [read, exec] }\n",
                        "moat.yaml:4:36: files.allow[0].access[1]: unknown access kind 'exec'"
                                + " (expected one of: read, write, create, delete, list)"),
                // --- version
                yaml("version: 2\n", "moat.yaml:1:10: version: unsupported version 2 (this Moat reads version 1)"),
                yaml("mode: enforce\n", "moat.yaml:1:1: missing required key 'version'"),
                yaml("version: \"1\"\n", "moat.yaml:1:10: version: expected the integer 1, got the string '1'"),
                // --- unknown and duplicate keys
                yaml("version: 1\nmodee: enforce\n",
                        "moat.yaml:2:1: modee: unknown key 'modee' (expected one of: version, mode, failOpen, audit, files,"
                                + " network, process, nativeLibraries, secrets, output, tools); did you mean 'mode'?"),
                yaml("version: 1\nfoo: 1\n",
                        "moat.yaml:2:1: foo: unknown key 'foo' (expected one of: version, mode, failOpen, audit, files,"
                                + " network, process, nativeLibraries, secrets, output, tools)"),
                yaml("version: 1\ntools:\n  \"my tool\":\n    dney: true\n",
                        "moat.yaml:4:5: tools[\"my tool\"].dney: unknown key 'dney' (expected one of: deny, args, files,"
                                + " network, output, recordArguments); did you mean 'deny'?"),
                yaml("version: 1\nmode: enforce\nmode: monitor\n",
                        "moat.yaml:3:1: mode: duplicate key 'mode' (first defined at 2:1)"),
                yaml("version: 1\naudit:\n  stderr: true\n  stderr: false\n",
                        "moat.yaml:4:3: audit.stderr: duplicate key 'stderr' (first defined at 3:3)"),
                // --- wrong types
                yaml("version: 1\nmode: strict\n",
                        "moat.yaml:2:7: mode: unknown mode 'strict' (expected one of: enforce, monitor)"),
                yaml("version: 1\nfailOpen: yes\n",
                        "moat.yaml:2:11: failOpen: expected true or false, got 'yes'"
                                + " (YAML 1.1 words such as yes/no/on/off are not accepted)"),
                yaml("version: 1\nfailOpen: \"true\"\n",
                        "moat.yaml:2:11: failOpen: expected true or false, got the string 'true'"),
                yaml("version: 1\naudit:\n  redactKeys: [on]\n",
                        "moat.yaml:3:16: audit.redactKeys[0]: expected a string, got the boolean on (quote it to make it a string)"),
                yaml("version: 1\naudit:\n  file: \n", "moat.yaml:3:8: audit.file: empty value"),
                yaml("version: 1\naudit:\n  redactKeys: password\n",
                        "moat.yaml:3:15: audit.redactKeys: expected a list, got the string 'password'"),
                yaml("version: 1\ntools:\n  read_file: \n",
                        "moat.yaml:3:13: tools.read_file: expected a map with the keys deny, args, files, network, output,"
                                + " recordArguments, got an empty value"),
                yaml("version: 1\nfiles:\n  allow:\n    - 12\n",
                        "moat.yaml:4:7: files.allow[0]: expected a path or a map with the keys path, access, got the integer 12"),
                yaml("version: 1\nmode: !!binary aGVsbG8=\n",
                        "moat.yaml:2:7: mode: unsupported value: binary data (write a plain string)"),
                yaml("version: 1\nfiles: 3\n",
                        "moat.yaml:2:8: files: expected a map with the keys scope, allow, deny, got the integer 3"),
                // --- ports
                yaml("version: 1\naudit:\n  syslog: { host: 127.0.0.1, port: 0 }\n",
                        "moat.yaml:3:36: audit.syslog.port: port 0 is out of range (1 to 65535)"),
                yaml("version: 1\naudit:\n  tcp: { host: 127.0.0.1, port: 70000 }\n",
                        "moat.yaml:3:33: audit.tcp.port: port 70000 is out of range (1 to 65535)"),
                yaml("version: 1\naudit:\n  tcp: { host: 127.0.0.1 }\n",
                        "moat.yaml:3:8: audit.tcp: missing required key 'port'"),
                // --- audit file rotation
                yaml("version: 1\naudit:\n  rotation: { maxFileSize: 10 }\n",
                        "moat.yaml:3:28: audit.rotation.maxFileSize: the file size must be at least 1KB, got 10"),
                yaml("version: 1\naudit:\n  rotation: { maxFileSize: 10 parsecs }\n",
                        "moat.yaml:3:28: audit.rotation.maxFileSize: expected a size such as 100MB, 512KB or a number of"
                                + " bytes, got '10 parsecs'"),
                yaml("version: 1\naudit:\n  rotation: { maxFiles: 21 }\n",
                        "moat.yaml:3:25: audit.rotation.maxFiles: 21 is out of range (1 to 20)"),
                yaml("version: 1\naudit:\n  tcp: { host: \"bad host\", port: 1 }\n",
                        "moat.yaml:3:16: audit.tcp.host: invalid host 'bad host': character ' ' is not allowed in a host name"),
                yaml("version: 1\nnetwork:\n  allow:\n    - { host: a.com, ports: [] }\n",
                        "moat.yaml:4:29: network.allow[0].ports: empty list (leave 'ports' out to cover every port)"),
                yaml("version: 1\nnetwork:\n  allow:\n    - { host: a.com, ports: [443, 443] }\n",
                        "moat.yaml:4:35: network.allow[0].ports[1]: duplicate port 443"),
                yaml("version: 1\nnetwork:\n  allow:\n    - { host: a.com, ports: [\"443\"] }\n",
                        "moat.yaml:4:30: network.allow[0].ports[0]: expected a port number (1 to 65535), got the string '443'"),
                // --- CIDRs and hosts
                yaml("version: 1\nnetwork:\n  allow:\n    - { cidr: 10.0.0.1/8 }\n",
                        "moat.yaml:4:15: network.allow[0].cidr: invalid CIDR '10.0.0.1/8': host bits are set beyond /8"
                                + " (did you mean 10.0.0.0/8?)"),
                yaml("version: 1\nnetwork:\n  allow:\n    - { cidr: 0.0.0.0/00 }\n",
                        "moat.yaml:4:15: network.allow[0].cidr: invalid CIDR '0.0.0.0/00': the prefix length after '/'"
                                + " must be a number without leading zeros"),
                yaml("version: 1\nnetwork:\n  deny:\n    - 10.0.0.0/33\n",
                        "moat.yaml:4:7: network.deny[0]: invalid CIDR '10.0.0.0/33': "),
                yaml("version: 1\nnetwork:\n  allow:\n    - { cidr: \"127.1\" }\n",
                        "moat.yaml:4:15: network.allow[0].cidr: invalid CIDR '127.1'"),
                yaml("version: 1\nnetwork:\n  allow:\n    - { cidr: 010.0.0.0/8 }\n",
                        "moat.yaml:4:15: network.allow[0].cidr: invalid CIDR '010.0.0.0/8'"),
                yaml("version: 1\nnetwork:\n  allow:\n    - { cidr: \"fe80::1%eth0\" }\n",
                        "moat.yaml:4:15: network.allow[0].cidr: invalid CIDR 'fe80::1%eth0'"),
                yaml("version: 1\nnetwork:\n  allow:\n    - { host: 10.0.0.1 }\n",
                        "moat.yaml:4:15: network.allow[0].host: '10.0.0.1' is an IP address: use a cidr entry"
                                + " (cidr: 10.0.0.1) instead of host"),
                yaml("version: 1\nnetwork:\n  allow:\n    - { host: a.*.com }\n",
                        "moat.yaml:4:15: network.allow[0].host: invalid host name 'a.*.com': '*' is only allowed as the"
                                + " whole leftmost label, as in *.example.com"),
                yaml("version: 1\nnetwork:\n  allow:\n    - { host: \"*\" }\n",
                        "moat.yaml:4:15: network.allow[0].host: '*' alone would match every host"),
                yaml("version: 1\nnetwork:\n  allow:\n    - { host: a.com, cidr: 1.2.3.4 }\n",
                        "moat.yaml:4:22: network.allow[0].cidr: give either 'host' or 'cidr' in one entry, not both"),
                yaml("version: 1\nnetwork:\n  allow:\n    - { ports: [1] }\n",
                        "moat.yaml:4:7: network.allow[0]: missing 'host' or 'cidr'"),
                // --- regexes
                yaml("version: 1\nprocess:\n  allow:\n    - { executable: /bin/x, args: \"(unclosed\" }\n",
                        "moat.yaml:4:35: process.allow[0].args: invalid regular expression '(unclosed': Unclosed group at index 9"),
                yaml("version: 1\ntools:\n  t:\n    args:\n      a: { type: string, pattern: \"[a-\" }\n",
                        "moat.yaml:5:35: tools.t.args.a.pattern: invalid regular expression '[a-'"),
                yaml("version: 1\nprocess:\n  allow:\n    - { args: x }\n",
                        "moat.yaml:4:7: process.allow[0]: missing required key 'executable'"),
                // --- paths
                yaml("version: 1\nfiles:\n  allow: [ relative/path ]\n",
                        "moat.yaml:3:12: files.allow[0]: relative path 'relative/path': paths must be absolute"
                                + " (start with /, ~/, ${user.home} or ${user.dir})"),
                yaml("version: 1\nfiles:\n  allow:\n    - { path: \"${user.nope}/x\" }\n",
                        "moat.yaml:4:15: files.allow[0].path: unknown variable '${user.nope}' in path '${user.nope}/x'"
                                + " (known: ${user.home}, ${user.dir})"),
                yaml("version: 1\nfiles:\n  allow:\n    - { path: \"${user.home/x\" }\n",
                        "moat.yaml:4:15: files.allow[0].path: unclosed '${' in path '${user.home/x'"),
                yaml("version: 1\nfiles:\n  allow:\n    - { path: \"/a/**x\" }\n",
                        "moat.yaml:4:15: files.allow[0].path: '**' must be a whole path element in '/a/**x'"
                                + " (use * to match within one element)"),
                yaml("version: 1\nfiles:\n  allow:\n    - { path: \"~bob/x\" }\n",
                        "moat.yaml:4:15: files.allow[0].path: '~bob/x': the ~user form is not supported"
                                + " (use ~/, ${user.home} or an absolute path)"),
                yaml("version: 1\nfiles:\n  allow:\n    - { path: \"/../x\" }\n",
                        "moat.yaml:4:15: files.allow[0].path: path '/../x' climbs above / with '..'"),
                yaml("version: 1\nfiles:\n  deny:\n    - { path: \"/a/*/../b\" }\n",
                        "moat.yaml:4:15: files.deny[0].path: path '/a/*/../b' uses '..' after the glob element '*'"),
                yaml("version: 1\nfiles:\n  allow:\n    - { access: [read] }\n",
                        "moat.yaml:4:7: files.allow[0]: missing required key 'path'"),
                yaml("version: 1\nfiles:\n  allow:\n    - { path: /x, access: [] }\n",
                        "moat.yaml:4:27: files.allow[0].access: empty list (list at least one of: read, write, create, delete, list)"),
                yaml("version: 1\nfiles:\n  allow:\n    - { path: /x, access: [read, read] }\n",
                        "moat.yaml:4:34: files.allow[0].access[1]: duplicate access kind 'read'"),
                yaml("version: 1\nfiles:\n  scope: everything\n",
                        "moat.yaml:3:10: files.scope: unknown file scope 'everything' (expected one of: process, tool-calls)"),
                yaml("version: 1\naudit:\n  file: /var/log/*.jsonl\n",
                        "moat.yaml:3:9: audit.file: the audit file must be a plain path, not a glob: '/var/log/*.jsonl'"),
                yaml("version: 1\nnativeLibraries:\n  allow: [ lib/x.so ]\n",
                        "moat.yaml:3:12: nativeLibraries.allow[0]: relative path 'lib/x.so'"),
                // --- tools and args
                yaml("version: 1\ntools:\n  \"\": { deny: true }\n", "moat.yaml:3:3: tools[\"\"]: empty tool name"),
                yaml("version: 1\ntools:\n  \" t\": { deny: true }\n",
                        "moat.yaml:3:3: tools[\" t\"]: tool name ' t' has leading or trailing whitespace"),
                yaml("version: 1\ntools:\n  t:\n    deny: 1\n", "moat.yaml:4:11: tools.t.deny: expected true or false, got the integer 1"),
                yaml("version: 1\ntools:\n  read_file:\n    args:\n      path: { type: file }\n",
                        "moat.yaml:5:21: tools.read_file.args.path.type: unknown argument type 'file'"
                                + " (expected one of: path, string, integer, number, boolean)"),
                yaml("version: 1\ntools:\n  t:\n    args:\n      a: { maxLength: 3 }\n",
                        "moat.yaml:5:10: tools.t.args.a: missing required key 'type'"),
                yaml("version: 1\ntools:\n  t:\n    args:\n      n: { type: integer, maxLength: 3 }\n",
                        "moat.yaml:5:27: tools.t.args.n.maxLength: maxLength applies only to the types string and path, not integer"),
                yaml("version: 1\ntools:\n  t:\n    args:\n      s: { type: string, minimum: 3 }\n",
                        "moat.yaml:5:26: tools.t.args.s.minimum: minimum applies only to the types integer and number, not string"),
                yaml("version: 1\ntools:\n  t:\n    args:\n      n: { type: integer, minimum: 5, maximum: 1 }\n",
                        "moat.yaml:5:48: tools.t.args.n.maximum: maximum 1 is below minimum 5"),
                yaml("version: 1\ntools:\n  t:\n    args:\n      n: { type: integer, maximum: 1.5 }\n",
                        "moat.yaml:5:36: tools.t.args.n.maximum: expected an integer maximum for an integer argument, got the number 1.5"),
                yaml("version: 1\ntools:\n  t:\n    args:\n      s: { type: string, maxLength: 0 }\n",
                        "moat.yaml:5:37: tools.t.args.s.maxLength: must be greater than 0, got 0"),
                yaml("version: 1\ntools:\n  t:\n    files: { scope: process }\n",
                        "moat.yaml:4:14: tools.t.files.scope: unknown key 'scope' (expected one of: allow, deny)"),
                // --- output and secrets
                yaml("version: 1\noutput:\n  maxChars: 0\n", "moat.yaml:3:13: output.maxChars: must be greater than 0, got 0"),
                yaml("version: 1\noutput:\n  maxChars: 3000000000\n",
                        "moat.yaml:3:13: output.maxChars: 3000000000 is out of range (1 to 2147483647)"),
                yaml("version: 1\noutput:\n  sanitize: [html, html]\n",
                        "moat.yaml:3:20: output.sanitize[1]: duplicate sanitizer 'html'"),
                yaml("version: 1\noutput:\n  sanitize: [xml]\n",
                        "moat.yaml:3:14: output.sanitize[0]: unknown sanitizer 'xml' (expected one of: html, terminal, unicode, secrets)"),
                yaml("version: 1\nsecrets:\n  hardcoded: warn\n",
                        "moat.yaml:3:14: secrets.hardcoded: unknown hardcoded-secret action 'warn' (expected one of: report, block)"),
                yaml("version: 1\nsecrets:\n  fromEnv: { abc: \"1BAD\" }\n",
                        "moat.yaml:3:19: secrets.fromEnv.abc: invalid environment variable name '1BAD'"
                                + " (letters, digits and _, not starting with a digit)"),
                yaml("version: 1\nsecrets:\n  fromEnv:\n", "moat.yaml:3:11: secrets.fromEnv: expected a map, got an empty value"),
                // --- document shape and syntax
                yaml("- a\n- b\n", "moat.yaml:1:1: the policy must be a map of keys (version, mode, audit, files, ...), got a list"),
                yaml("just a string\n", "moat.yaml:1:1: the policy must be a map of keys (version, mode, audit, files, ...),"
                        + " got the string 'just a string'"),
                yaml("", "moat.yaml: empty policy file (a policy needs at least 'version: 1')"),
                yaml("# only a comment\n", "moat.yaml: empty policy file (a policy needs at least 'version: 1')"),
                yaml("version: 1\nfiles: [1, 2\n",
                        "moat.yaml:2:13: YAML syntax error: while parsing a flow sequence; expected ',' or ']', but got <stream end>"),
                yaml("version: 1\n---\nversion: 1\n",
                        "moat.yaml:3:1: more than one YAML document: a policy file holds exactly one"),
                Arguments.of("moat.json", "{\"version\": 1, \"mode\": \"enforce\",}",
                        "moat.json:1:34: JSON syntax error: Unexpected character ('}' (code 125)): was expecting double-quote"
                                + " to start field name"),
                Arguments.of("moat.json", "{\"version\": 1,\n \"files\": {\"allow\": [{\"path\": \"/x\", \"access\": [\"exec\"]}]}}",
                        "moat.json:2:48: files.allow[0].access[0]: unknown access kind 'exec'"
                                + " (expected one of: read, write, create, delete, list)"),
                Arguments.of("moat.json", "{\"version\": 1, \"version\": 1}",
                        "moat.json:1:16: version: duplicate key 'version' (first defined at 1:2)"),
                Arguments.of("moat.json", "{\"version\": 1} {}",
                        "moat.json:1:16: unexpected content after the end of the policy object"),
                Arguments.of("moat.json", "[]",
                        "moat.json:1:1: the policy must be a map of keys (version, mode, audit, files, ...), got a list"));
    }

    private static Arguments yaml(String text, String expected) {
        return Arguments.of("moat.yaml", text, expected);
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("errors")
    void reportsFileLineColumnKeyPathAndProblem(String source, String text, String expected) {
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyLoader.parse(text, source, ENV));
        assertThat(e).as("expected an error for %s", text).isNotNull();
        assertThat(e.getMessage()).startsWith(expected);
    }

    @Test
    void exceptionGettersCarryTheParts() {
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyLoader.parse(
                "version: 1\nfiles:\n  allow:\n    - { path: /srv, access: [read, exec] }\n", "moat.yaml", ENV));
        assertThat(e.source()).isEqualTo("moat.yaml");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.column()).isEqualTo(36);
        assertThat(e.keyPath()).isEqualTo("files.allow[0].access[1]");
        assertThat(e.problem()).isEqualTo("unknown access kind 'exec' (expected one of: read, write, create, delete, list)");
    }

    @Test
    void missingFile(@TempDir Path dir) {
        Path file = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> PolicyLoader.load(file, ENV))
                .isInstanceOf(PolicyException.class)
                .hasMessageStartingWith(file + ": no such file")
                .satisfies(t -> assertThat(((PolicyException) t).line()).isZero());
    }

    @Test
    void directoryInsteadOfFile(@TempDir Path dir) {
        assertThatThrownBy(() -> PolicyLoader.load(dir, ENV))
                .hasMessage(dir + ": is a directory, not a policy file");
    }

    @Test
    void brokenSymlink(@TempDir Path dir) throws IOException {
        Path link = dir.resolve("link.yaml");
        Files.createSymbolicLink(link, dir.resolve("missing.yaml"));
        assertThatThrownBy(() -> PolicyLoader.load(link, ENV)).hasMessage(link + ": is a broken symbolic link");
    }

    @Test
    void unreadableFile(@TempDir Path dir) throws IOException {
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")), "root reads every file");
        Path file = dir.resolve("secret.yaml");
        Files.writeString(file, "version: 1\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assertThatThrownBy(() -> PolicyLoader.load(file, ENV)).hasMessage(file + ": cannot read: permission denied");
    }

    @Test
    void notUtf8(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, "version: 1\nmode: \u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> PolicyLoader.load(file, ENV)).hasMessage(file + ": not valid UTF-8 text");
    }

    @Test
    void tooLarge(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("big.yaml");
        Files.writeString(file, "version: 1\n" + "#".repeat(PolicyLoader.MAX_BYTES));
        assertThatThrownBy(() -> PolicyLoader.load(file, ENV)).hasMessageContaining(": larger than 1048576 bytes");
    }

    @Test
    void emptyFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("empty.yaml");
        Files.writeString(file, "  \n");
        assertThatThrownBy(() -> PolicyLoader.load(file, ENV))
                .hasMessage(file + ": empty policy file (a policy needs at least 'version: 1')");
    }

    @Test
    void fileErrorsNameTheFileAsGiven(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("moat.yaml");
        Files.writeString(file, "version: 1\nfiles:\n  allow:\n    - { path: /srv, access: [read, exec] }\n");
        assertThatThrownBy(() -> PolicyLoader.load(file, ENV))
                .hasMessageStartingWith(file + ":4:36: files.allow[0].access[1]: unknown access kind 'exec'");
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "version: 1\ntools:\n  t:\n    args:\n      a: " + "[".repeat(100) + "]".repeat(100) + "\n";
        assertThatThrownBy(() -> PolicyLoader.parse(deep, "deep.yaml", ENV))
                .isInstanceOf(PolicyException.class)
                .hasMessageStartingWith("deep.yaml:");
    }
}
