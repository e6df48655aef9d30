package io.parley.internal.driver;

import io.parley.FlowSpec;
import io.parley.Qos;
import io.parley.ServiceType;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which granted QoS the driver can honour. It polices a sender's rates and message sizes ({@link SendPolicer}),
 * which serves best effort and controlled load, and refuses every send of a direction granted no traffic; it
 * cannot bound the network's delay, so it refuses the guaranteed service and the service types that are not
 * requests for a service at all, and a token rate of 0, which would let nothing through after the first
 * bucket [C2].
 */
final class QosSupport {
    private static final Set<ServiceType> HONOURED = EnumSet.of(ServiceType.NOT_SPECIFIED, ServiceType.NO_CHANGE,
            ServiceType.GENERAL_INFORMATION, ServiceType.NO_TRAFFIC, ServiceType.BEST_EFFORT,
            ServiceType.CONTROLLED_LOAD);

    private QosSupport() {
    }

    /** Why {@code qos} cannot be honoured, or empty if it can (or none is asked). */
    static Optional<String> unsupported(Optional<Qos> qos) {
        return qos.flatMap(q -> unsupported("sending", q.sending()).or(() -> unsupported("receiving", q.receiving())));
    }

    private static Optional<String> unsupported(String direction, FlowSpec spec) {
        if (spec.tokenRate() == 0 && spec.serviceType() != ServiceType.NO_TRAFFIC) {
            return Optional.of("the " + direction + " token rate of 0 would let nothing through after the first"
                    + " bucket; a direction with no traffic says NO_TRAFFIC");
        }
        if (HONOURED.contains(spec.serviceType())) {
            return Optional.empty();
        }
        return Optional.of("the " + direction + " service type " + spec.serviceType() + " cannot be honoured: the"
                + " transport polices rates and sizes (best effort, controlled load) but bounds no delay");
    }
}
