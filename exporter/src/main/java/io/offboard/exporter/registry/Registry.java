package io.offboard.exporter.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The data registry ({@code registry.yml}): every table and bucket that holds tenant data, how a tenant's
 * share is found, the backup tier, what is excluded and why, and what is protected. One generic engine
 * works from this description; the platform's shape lives here, not in code.
 *
 * @param backupAllowance how long a copy of a table that the purge cannot delete item by item (point-in-time
 *                        recovery, a backup) may outlive the deletion; {@code backup_allowance}, ISO-8601, zero
 *                        (none) by default. A table may declare its own.
 */
public record Registry(
        String version,
        TableKey tenantDirectory,
        TableKey accessTable,
        List<Service> services,
        List<Bucket> backups,
        List<Exclusion> exclusions,
        @JsonProperty("protected") Protected protectedResources,
        Duration backupAllowance) {

    public static final String RESOURCE = "/registry.yml";

    public Registry {
        services = services == null ? List.of() : List.copyOf(services);
        backups = backups == null ? List.of() : List.copyOf(backups);
        exclusions = exclusions == null ? List.of() : List.copyOf(exclusions);
        backupAllowance = nonNegative(backupAllowance == null ? Duration.ZERO : backupAllowance, "backup_allowance");
    }

    /** A registry with no backup allowance. */
    public Registry(String version, TableKey tenantDirectory, TableKey accessTable, List<Service> services,
                    List<Bucket> backups, List<Exclusion> exclusions, Protected protectedResources) {
        this(version, tenantDirectory, accessTable, services, backups, exclusions, protectedResources, null);
    }

    /** How long copies of {@code table} that cannot be deleted item by item may outlive a deletion. */
    public Duration backupAllowance(Table table) {
        return table.backupAllowance() != null ? table.backupAllowance() : backupAllowance;
    }

    /** Every table of every service, in registry order: what the purge deletes items from. */
    public List<Table> tables() {
        return services.stream().flatMap(s -> s.tables().stream()).toList();
    }

    private static Duration nonNegative(Duration d, String what) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " cannot be negative: " + d);
        }
        return d;
    }

    /** A table and the attribute that holds the orgcode. */
    public record TableKey(String table, String key) {
    }

    public record Service(String name, String description, List<Table> tables, List<Bucket> buckets) {
        public Service {
            tables = tables == null ? List.of() : List.copyOf(tables);
            buckets = buckets == null ? List.of() : List.copyOf(buckets);
        }
    }

    /** How a tenant's items are found in a table. */
    public enum FindBy { PARTITION_KEY, GSI, SCAN }

    /** The column types a table may declare for typed export columns (Parquet). */
    public static final Set<String> COLUMN_TYPES = Set.of("string", "long", "double", "boolean", "timestamp");

    /**
     * @param key       partition key (or GSI key) holding the orgcode, for {@code partition_key} and {@code gsi}
     * @param index     the GSI name, for {@code gsi}
     * @param attribute the non-key attribute compared to the orgcode, for {@code scan}
     * @param revision  optional: the attribute holding the item's source revision (exported as
     *                  {@code source_revision}); {@code null} when the table has none
     * @param columns   optional: typed export columns, attribute name → one of {@link #COLUMN_TYPES}, in declaration
     *                  order; empty when none are declared (every item is still exported whole as JSON)
     * @param backupAllowance optional: this table's own {@code backup_allowance}, instead of the registry's
     */
    public record Table(String name, FindBy findBy, String key, String index, String attribute, String revision,
                        Map<String, String> columns, Duration backupAllowance) {
        public Table {
            if (backupAllowance != null) {
                nonNegative(backupAllowance, "table " + name + ": backup_allowance");
            }
            Map<String, String> copy = new LinkedHashMap<>();
            if (columns != null) {
                columns.forEach((column, type) -> {
                    if (column == null || column.isBlank() || type == null || !COLUMN_TYPES.contains(type)) {
                        throw new IllegalArgumentException("table " + name + ": column " + column + " has type " + type
                                + ", expected one of " + new TreeSet<>(COLUMN_TYPES));
                    }
                    copy.put(column, type);
                });
            }
            columns = Collections.unmodifiableMap(copy);
        }

        /** A table with the registry's backup allowance. */
        public Table(String name, FindBy findBy, String key, String index, String attribute, String revision,
                     Map<String, String> columns) {
            this(name, findBy, key, index, attribute, revision, columns, null);
        }

        /** A table without a revision attribute or typed columns. */
        public Table(String name, FindBy findBy, String key, String index, String attribute) {
            this(name, findBy, key, index, attribute, null, null, null);
        }
    }

    /** A bucket and the key prefix of a tenant's objects; {@code {orgcode}} is replaced by the tenant. */
    public record Bucket(String name, String prefix) {
        public String prefixFor(String orgcode) {
            return prefix.replace("{orgcode}", orgcode);
        }
    }

    public record Exclusion(String table, String bucket, String reason) {
    }

    public record Protected(List<String> tables, List<String> namePrefixes, List<String> buckets, List<String> logGroups) {
        public Protected {
            tables = tables == null ? List.of() : List.copyOf(tables);
            namePrefixes = namePrefixes == null ? List.of() : List.copyOf(namePrefixes);
            buckets = buckets == null ? List.of() : List.copyOf(buckets);
            logGroups = logGroups == null ? List.of() : List.copyOf(logGroups);
        }

        /** Seed 001: these are never read for export, written or deleted. */
        public boolean covers(String resourceName) {
            return tables.contains(resourceName) || buckets.contains(resourceName) || logGroups.contains(resourceName)
                    || namePrefixes.stream().anyMatch(resourceName::startsWith);
        }
    }

    /** The registry shipped with this build. */
    public static Registry bundled() {
        try (InputStream in = Registry.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("registry.yml is missing from the classpath");
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Registry read(InputStream yaml) throws IOException {
        ObjectMapper mapper = YAMLMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .addModule(new JavaTimeModule())
                .build();
        return mapper.readValue(yaml, Registry.class);
    }
}
