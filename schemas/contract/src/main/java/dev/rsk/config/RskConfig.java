package dev.rsk.config;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The parsed values of one role's own ({@code rsk.*}) keys, typed by their {@link ConfigDef}: absent keys
 * take their declared default. Keys the definition does not declare are kept in {@link #originals()} only.
 */
public final class RskConfig extends AbstractConfig {

  private RskConfig(final ConfigDef definition, final Map<String, ?> values) {
    super(definition, values, false);
  }

  /**
   * Parses and validates {@code values} (strings, or values of the declared types).
   *
   * @throws InvalidConfigException naming the key, for a value of the wrong type, one its validator rejects,
   *     or a missing key that has no default
   */
  public static RskConfig parse(final ConfigDef definition, final Map<String, ?> values) {
    try {
      return new RskConfig(definition, values);
    } catch (ConfigException e) {
      throw new InvalidConfigException(e.getMessage(), e);
    }
  }
}
