package dev.moat.agent.it;

import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A host application that, first thing in main (while the agent may still be installing its hooks), reads
 * the file named by its argument twice (java.io and NIO) and starts a process; prints what happened on stderr.
 */
public final class EarlyReader {

    private EarlyReader() {
    }

    public static void main(String[] args) {
        try (FileInputStream in = new FileInputStream(args[0])) {
            System.err.println("io READ " + new String(in.readAllBytes()));
        } catch (Exception e) {
            System.err.println("io DENIED " + e);
        }
        try {
            System.err.println("nio READ " + Files.readString(Path.of(args[0])));
        } catch (Exception e) {
            System.err.println("nio DENIED " + e);
        }
        try {
            System.err.println("process exited " + new ProcessBuilder("true").start().waitFor());
        } catch (Exception e) {
            System.err.println("process DENIED " + e);
        }
    }
}
