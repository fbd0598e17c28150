package sun.evil;

import java.io.IOException;
import java.io.InputStream;

/**
 * Application code in a package named like the JDK's ({@code sun.*}), loaded by the application class
 * loader: {@code JdkCallerTest} checks that it is not taken for the JDK.
 */
public final class Opener {

    private Opener() {
    }

    /** Reads one byte, as a JDK-internal class opening a file would. */
    public static int readOne(InputStream in) throws IOException {
        return in.read();
    }
}
