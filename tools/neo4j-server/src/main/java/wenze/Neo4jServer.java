package wenze;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.SettingValueParsers;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Minimal Neo4j 5.26 LTS (Community) server for development and tests: an embedded DBMS with the
 * Bolt connector switched on, built purely from Maven Central artifacts (no tarball, no Docker).
 *
 * <pre>
 * java -Xms512m -Xmx1g -cp "target/neo4j-server-launcher.jar:target/lib/*" wenze.Neo4jServer \
 *     --port 7687 --data-dir /path/to/data [--password secret-pw] [--host localhost]
 *     [--pagecache 256m] [--tx-memory-total 512m] [--tx-memory-max 256m]
 * </pre>
 *
 * Without {@code --password} authentication is disabled. With it, auth is enabled and the built-in
 * user {@code neo4j} gets that password (no forced change) on every start, so the password can be
 * changed between runs with the same data directory.
 *
 * Prints {@code NEO4J READY bolt://HOST:PORT} on stdout once the DBMS is up and the password is
 * set, then blocks until the JVM is stopped (SIGTERM/SIGINT run {@code dbms.shutdown()}).
 */
public final class Neo4jServer {

    private static final int MIN_PASSWORD_LENGTH = 8;

    private Neo4jServer() {}

    public static void main(String[] args) throws Exception {
        Options opts;
        try {
            opts = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("neo4j-server: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (opts.help) {
            System.out.println(Options.USAGE);
            return;
        }

        Path home = opts.dataDir.toAbsolutePath().normalize();
        Files.createDirectories(home);
        boolean auth = opts.password != null;
        SocketAddress bolt = new SocketAddress(opts.host, opts.port);

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                // Neo4j's user log (what bin/neo4j writes to neo4j.log) goes to stdout.
                .setUserLogProvider(new Log4jLogProvider(System.out, Level.INFO))
                // Keep everything (store, tx logs, system db) directly under --data-dir;
                // debug.log ends up in <data-dir>/logs.
                .setConfig(GraphDatabaseSettings.data_directory, home)
                .setConfig(GraphDatabaseSettings.logs_directory, home.resolve("logs"))
                // Connectors: Bolt only.
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, bolt)
                .setConfig(BoltConnector.advertised_address, bolt)
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                // Internal settings: the default 5 s + 5 s Bolt drain waits make every stop take
                // >10 s; a dev/test server has nothing worth waiting for.
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                // Auth.
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                // Memory: small page cache, bounded transaction memory (heap is set via -Xmx).
                .setConfig(GraphDatabaseSettings.pagecache_memory, bytes(opts.pagecache))
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, bytes(opts.txMemoryTotal))
                .setConfig(GraphDatabaseSettings.memory_transaction_max_size, bytes(opts.txMemoryMax))
                // Disk: no 256 MiB tx-log preallocation, small rotation, little retention.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, bytes("64m"))
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "100M size")
                // No phoning home.
                .setConfig(GraphDatabaseSettings.udc_enabled, false);

        long t0 = System.nanoTime();
        DatabaseManagementService dbms;
        try {
            dbms = builder.build();
        } catch (Throwable t) {
            System.err.println("neo4j-server: failed to start DBMS: " + t);
            t.printStackTrace();
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("NEO4J SHUTTING DOWN");
            System.out.flush();
            try {
                dbms.shutdown();
            } catch (Throwable t) {
                System.err.println("neo4j-server: error during shutdown: " + t);
            }
            System.out.println("NEO4J STOPPED");
            System.out.flush();
        }, "neo4j-shutdown"));

        try {
            if (auth) {
                setInitialPassword(dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), opts.password);
            }
            checkFulltextAnalyzers(dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME));
        } catch (Throwable t) {
            System.err.println("neo4j-server: post-start setup failed: " + t);
            t.printStackTrace();
            System.exit(1); // shutdown hook stops the DBMS
            return;
        }

        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("NEO4J READY bolt://%s:%d (auth %s, data %s, started in %d ms)%n",
                opts.host, opts.port, auth ? "on, user neo4j" : "off", home, ms);
        System.out.flush();

        Thread.currentThread().join();
    }

    /** Sets the password of the built-in user {@code neo4j}; idempotent across restarts. */
    private static void setInitialPassword(GraphDatabaseService system, String password) {
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (RuntimeException e) {
            // Re-applying the current password is rejected ("Old password and new password cannot
            // be the same."); that just means it is already set. Anything else is a real error.
            if (!String.valueOf(messages(e)).contains("cannot be the same")) {
                throw e;
            }
        }
    }

    private static void checkFulltextAnalyzers(GraphDatabaseService db) {
        List<String> analyzers = db.executeTransactionally(
                "CALL db.index.fulltext.listAvailableAnalyzers() YIELD analyzer RETURN analyzer",
                Map.of(),
                result -> {
                    List<String> names = new ArrayList<>();
                    result.forEachRemaining(row -> names.add((String) row.get("analyzer")));
                    return names;
                });
        if (!analyzers.contains("cjk")) {
            System.err.println("neo4j-server: WARNING: fulltext analyzer 'cjk' not available; got " + analyzers);
        }
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append('\n');
        }
        return sb.toString();
    }

    private static Long bytes(String value) {
        return SettingValueParsers.BYTES.parse(value);
    }

    private static final class Options {
        static final String USAGE = String.join("\n",
                "usage: wenze.Neo4jServer --data-dir DIR [--port 7687] [--host localhost]",
                "                         [--password PW (>= 8 chars; absent = auth off)]",
                "                         [--pagecache 256m] [--tx-memory-total 512m] [--tx-memory-max 256m]",
                "JVM heap is a JVM option (-Xms/-Xmx), not a flag of this program.");

        int port = 7687;
        String host = "localhost";
        Path dataDir;
        String password;
        String pagecache = "256m";
        String txMemoryTotal = "512m";
        String txMemoryMax = "256m";
        boolean help;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String value = null;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    value = arg.substring(eq + 1);
                    arg = arg.substring(0, eq);
                }
                if (arg.equals("-h") || arg.equals("--help")) {
                    o.help = true;
                    continue;
                }
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("missing value for " + arg);
                    }
                    value = args[++i];
                }
                switch (arg) {
                    case "--port" -> {
                        try {
                            o.port = Integer.parseInt(value);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("bad --port: " + value);
                        }
                        if (o.port < 1 || o.port > 65535) {
                            throw new IllegalArgumentException("bad --port: " + value);
                        }
                    }
                    case "--host" -> o.host = value;
                    case "--data-dir" -> o.dataDir = Path.of(value);
                    case "--password" -> o.password = value;
                    case "--pagecache" -> o.pagecache = value;
                    case "--tx-memory-total" -> o.txMemoryTotal = value;
                    case "--tx-memory-max" -> o.txMemoryMax = value;
                    default -> throw new IllegalArgumentException("unknown argument: " + arg);
                }
            }
            if (!o.help && o.dataDir == null) {
                throw new IllegalArgumentException("--data-dir is required");
            }
            if (o.password != null && o.password.length() < MIN_PASSWORD_LENGTH) {
                throw new IllegalArgumentException(
                        "--password must be at least " + MIN_PASSWORD_LENGTH + " characters");
            }
            return o;
        }
    }
}
