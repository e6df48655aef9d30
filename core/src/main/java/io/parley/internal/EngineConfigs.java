package io.parley.internal;

import io.parley.Limits;
import io.parley.protocol.EngineConfig;
import io.parley.protocol.FrameLimits;
import io.parley.protocol.WireFormat;

/** Maps the API's limits onto the engine's configuration. */
public final class EngineConfigs {

    private EngineConfigs() {
    }

    /** The engine configuration for these limits. */
    public static EngineConfig of(Limits limits) {
        return new EngineConfig(new FrameLimits(limits.maxCallerData(), limits.maxCalleeData(),
                limits.maxDisconnectData(), limits.maxReasonData(), limits.maxMessageSize()),
                limits.maxFragmentSize(), WireFormat.MAX_VERSION);
    }
}
