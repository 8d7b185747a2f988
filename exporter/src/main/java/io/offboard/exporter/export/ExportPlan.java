package io.offboard.exporter.export;

import io.offboard.exporter.registry.Registry;
import java.util.Comparator;
import java.util.List;

/** The order sources are read and listed in: services, then their tables, then their buckets, by name. */
final class ExportPlan {

    private ExportPlan() {
    }

    static List<Registry.Service> services(Registry registry) {
        return registry.services().stream().sorted(Comparator.comparing(Registry.Service::name)).toList();
    }

    static List<Registry.Table> tables(Registry.Service service) {
        return service.tables().stream().sorted(Comparator.comparing(Registry.Table::name)).toList();
    }

    static List<Registry.Bucket> buckets(Registry.Service service) {
        return service.buckets().stream().sorted(Comparator.comparing(Registry.Bucket::name)).toList();
    }
}
