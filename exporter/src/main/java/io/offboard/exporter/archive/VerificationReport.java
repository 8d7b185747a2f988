package io.offboard.exporter.archive;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link ArchiveVerifier#verify} found.
 *
 * @param ok           true when there is no problem
 * @param sha256       the archive's actual SHA-256 (lower-case hex)
 * @param bytes        the archive's actual size
 * @param payloadFiles regular files under {@code data/} in the archive
 * @param payloadBytes their total size
 * @param problems     everything wrong, each naming the file concerned; empty when ok
 * @param notes        what could not be checked but is not wrong (e.g. no expected SHA-256 was available)
 */
public record VerificationReport(boolean ok, String sha256, long bytes, long payloadFiles, long payloadBytes,
                                 List<String> problems, List<String> notes) {

    public VerificationReport {
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }

    /** Human-readable lines: "OK ..." or "FAILED ..." followed by one line per problem, then the notes. */
    public List<String> render() {
        List<String> lines = new ArrayList<>();
        String summary = String.format("archive SHA-256 %s, %d bytes; payload %d files, %d bytes", sha256, bytes,
                payloadFiles, payloadBytes);
        if (ok) {
            lines.add("OK " + summary);
        } else {
            lines.add("FAILED " + summary + "; " + problems.size()
                    + (problems.size() == 1 ? " problem:" : " problems:"));
            for (String p : problems) {
                lines.add("  " + p);
            }
        }
        for (String n : notes) {
            lines.add("note: " + n);
        }
        return lines;
    }
}
