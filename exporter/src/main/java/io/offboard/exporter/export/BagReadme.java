package io.offboard.exporter.export;

import io.offboard.exporter.format.ExportRow;
import io.offboard.exporter.manifest.ExportManifest;
import io.offboard.exporter.registry.Registry;

/** {@code data/README.md}: what the archive holds and leaves out, in the archive itself. Deterministic. */
final class BagReadme {

    private BagReadme() {
    }

    static String render(ExportRequest request, ExportManifest manifest, Registry registry) {
        StringBuilder md = new StringBuilder();
        md.append("# Export of tenant `").append(request.orgcode()).append("`\n\n");
        md.append(request.snapshot()
                ? "This is the tenant's final, frozen snapshot as of " + ExportRow.timestamp(request.asOf()) + ".\n"
                : "This export was taken while the tenant was live; its data is as of "
                + ExportRow.timestamp(request.asOf()) + " (the export's start).\n");
        md.append("\nRegistry version: ").append(registry.version()).append(". Row format: ")
                .append(request.format().id()).append(".\n\n");
        md.append("## Layout\n\n");
        md.append("- `manifest.json`: per service and source, the items (rows or objects), bytes and files; totals; ")
                .append("the cost of reading the tenant.\n");
        md.append("- `<service>/<table>").append(request.format().extension())
                .append("`: the tenant's items of a DynamoDB table, one row per item (split into `.part-NNNNN` files ")
                .append("past a size).\n");
        md.append("- `<service>/s3/<bucket>/<key>`: the latest version of each of the tenant's objects, at its key. ")
                .append("What a file path cannot hold is written `~XX`, the hex of its UTF-8 bytes: `~`, `%`, `\\`, ")
                .append("control and invisible characters, a `/` that is leading, trailing or doubled, a `.` or `..` ")
                .append("segment. A segment longer than 255 bytes continues in a subdirectory after `~+`. Where two ")
                .append("keys would land on the same file on a system that ignores case (macOS, Windows), or a key is ")
                .append("also a folder of other keys (`report` and `report/2024.csv`), the file gets a rank: ")
                .append("`report~~1`, `report~~2.csv`.\n");
        md.append("- `<service>/s3/<bucket>~keys.jsonl`: the key map, one line per object in key order: its original ")
                .append("`key`, its `path` here (relative to `data/`), `size`, `sha256` and `version_id`. Look a file's ")
                .append("key up here (`grep` its path), or a key's file.\n\n");
        md.append("Every row carries `").append(ExportRow.EXPORTED_AT_UTC).append("` (the as-of time above) and `")
                .append(ExportRow.SOURCE_REVISION).append("` when the item has a revision. ");
        if (request.format() == ExportFormat.JSONL) {
            md.append("Rows are JSON objects with sorted keys: DynamoDB strings and numbers become JSON strings and ")
                    .append("exact numbers, maps and lists become objects and arrays, sets become sorted arrays, ")
                    .append("binary values become base64 strings.\n\n");
        } else {
            md.append("Parquet files have typed columns where the registry declares them and `item_json` with the ")
                    .append("whole item as JSON text.\n\n");
        }
        md.append("## Included\n\n| service | source | how the tenant's data is found | items | bytes |\n")
                .append("|---|---|---|---|---|\n");
        for (ExportManifest.ServiceSummary service : manifest.services()) {
            for (ExportManifest.SourceSummary source : service.sources()) {
                md.append("| ").append(service.service()).append(" | ").append(source.kind()).append(" `")
                        .append(source.name()).append("` | ").append(source.prefix() != null
                                ? "key prefix `" + source.prefix() + "`" : source.findBy().replace('_', ' '))
                        .append(" | ").append(source.items()).append(" | ").append(source.bytes()).append(" |\n");
            }
        }
        md.append("\n## Not included\n\n");
        for (Registry.Exclusion exclusion : registry.exclusions()) {
            md.append("- `").append(exclusion.table() != null ? exclusion.table() : exclusion.bucket()).append("`: ")
                    .append(exclusion.reason()).append('\n');
        }
        for (Registry.Bucket backup : registry.backups()) {
            md.append("- `").append(backup.name()).append("`: the platform's backup copies of the data above; ")
                    .append("deleted with everything else at the end of the retention window.\n");
        }
        md.append("- Platform resources that hold no tenant data (operations, audit, documentation).\n");
        md.append("\n## Checking it\n\n");
        md.append("- The SHA-256 and size of the archive file are given where you downloaded it.\n");
        md.append("- Inside the bag: `sha256sum -c manifest-sha256.txt` checks every file; ")
                .append("`bag-info.txt` gives the Payload-Oxum (bytes.files).\n");
        md.append("- `offboard verify <archive>` does all of that, and checks the counts in `manifest.json` ")
                .append("against the files, that each key map names every object file once with its size and SHA-256, ")
                .append("and that every key and path map to each other, offline.\n");
        return md.toString();
    }
}
