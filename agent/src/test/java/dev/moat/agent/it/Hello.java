package dev.moat.agent.it;

/** The smallest host application: says hello on stderr, starts one process, exits 0. Writes nothing to stdout. */
public final class Hello {

    private Hello() {
    }

    public static void main(String[] args) throws Exception {
        System.err.println("hello from the host application");
        int status = new ProcessBuilder("true").start().waitFor();
        System.err.println("child process exited " + status);
    }
}
