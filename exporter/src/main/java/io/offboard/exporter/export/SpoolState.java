package io.offboard.exporter.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.offboard.exporter.storage.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The checkpoint of an export's reading phase, kept beside the spool files: per table the DynamoDB cursor
 * and the part files with their row and byte counts as of that cursor, per bucket the object listing.
 * Written atomically after every page, so a worker that dies resumes exactly where the checkpoint says.
 */
final class SpoolState {

    static final String FILE = "checkpoint.json";
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** The request this spool belongs to; a different request starts afresh. */
    public String request;
    public Map<String, TableState> tables = new TreeMap<>();
    public Map<String, BucketState> buckets = new TreeMap<>();

    static final class TableState {
        public String cursor;
        public boolean done;
        public List<Part> parts = new ArrayList<>();
        public long itemBytes;
        public long readUnits;
    }

    static final class Part {
        public String file;
        public long rows;
        public long bytes;

        Part() {
        }

        Part(String file) {
            this.file = file;
        }
    }

    static final class BucketState {
        public boolean done;
        /** JSONL file listing the objects (key, version, size) as they were listed, in key order. */
        public String listing;
        public long objects;
        public long bytes;
    }

    static SpoolState load(Path workDir, String request) throws IOException {
        Path file = workDir.resolve(FILE);
        if (Files.exists(file)) {
            SpoolState state = JSON.readValue(file.toFile(), SpoolState.class);
            if (request.equals(state.request)) {
                return state;
            }
        }
        SpoolState fresh = new SpoolState();
        fresh.request = request;
        return fresh;
    }

    void save(Path workDir) throws IOException {
        AtomicFiles.write(workDir.resolve(FILE), JSON.writeValueAsBytes(this));
    }
}
