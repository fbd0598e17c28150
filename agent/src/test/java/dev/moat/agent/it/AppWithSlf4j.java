package dev.moat.agent.it;

import org.slf4j.LoggerFactory;

/**
 * A host application that uses SLF4J, but only after a while: the agent's first audit events are
 * recorded before the application initialises its logging, and must wait for it (Moat never
 * initialises the application's logging itself). Writes nothing to stdout.
 */
public final class AppWithSlf4j {

    private AppWithSlf4j() {
    }

    public static void main(String[] args) throws Exception {
        Thread.sleep(700);
        System.err.println("APP initialising SLF4J");
        LoggerFactory.getLogger("app").info("application started");
        int status = new ProcessBuilder("true").start().waitFor();
        LoggerFactory.getLogger("app").info("child process exited {}", status);
        Thread.sleep(300);
    }
}
