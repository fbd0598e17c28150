package dev.moat.core.policy;

import java.nio.file.Path;

/** Shared fixtures. */
final class TestPolicies {

    static final PolicyEnvironment ENV = new PolicyEnvironment(Path.of("/home/ann"), Path.of("/work/ws"));

    /** Uses every key of every shape at least once. */
    static final String FULL_YAML = """
            version: 1
            mode: monitor
            failOpen: true
            audit:
              file: ~/moat/audit.jsonl
              rotation: { maxFileSize: 50MB, maxFiles: 5 }
              stderr: false
              syslog: { host: 127.0.0.1, port: 6514 }
              tcp:    { host: logs.example.com, port: 5044 }
              appLogger: true
              redactKeys: [password, apiKey]
            files:
              scope: tool-calls
              allow:
                - { path: /srv/workspace, access: [read, write, create, delete, list] }
                - { path: /etc/myapp,     access: [read] }
                - ${user.dir}/data
              deny: [ /srv/workspace/.git, { path: "/srv/*/secrets", access: [read] } ]
            network:
              allow:
                - { host: api.github.com, ports: [443] }
                - { host: "*.internal.example.com" }
                - { cidr: 127.0.0.1/32, ports: [8081, 8082] }
                - 2001:db8::/32
              deny: [ 203.0.113.0/24, evil.example.org ]
            process:
              allow:
                - { executable: /usr/bin/git, args: "^(status|log)( .*)?$" }
                - /usr/bin/true
            nativeLibraries:
              allow: [ /opt/app/lib, "/usr/lib/**/libfoo.so" ]
            secrets:
              hardcoded: block
              fromEnv: { "sha256:ab12": DB_PASSWORD }
            output:
              sanitize: [html, terminal, unicode, secrets]
              maxChars: 5000
            tools:
              delete_file:
                deny: true
              read_file:
                args:
                  path: { type: path, maxLength: 255, pattern: "/srv/.*" }
                  count: { type: integer, minimum: 1, maximum: 10 }
                  ratio: { type: number, minimum: 0.5, maximum: 1.5 }
                  verbose: { type: boolean }
                  label: { type: string }
                files:
                  allow: [ { path: /srv/workspace/public, access: [read, list] } ]
                  deny: [ /srv/workspace/public/private ]
                network:
                  allow: [ { host: example.com } ]
                  deny: [ { cidr: 93.184.216.0/24 } ]
                output: { sanitize: [html, unicode] }
                recordArguments: true
              search:
                output: { sanitize: [html, unicode] }
              get_env:
                recordArguments: false
            """;

    private TestPolicies() {
    }
}
