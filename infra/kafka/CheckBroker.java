// Fallback readiness check for broker.sh when neither kafkajs nor kcat is available: the Java
// AdminClient from the fetched jars describes the cluster. Run as a single-file program:
//   java -cp '.lib/<version>/*' CheckBroker.java 127.0.0.1:19092
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

public class CheckBroker {
  public static void main(String[] args) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args.length > 0 ? args[0] : "127.0.0.1:19092");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "4000");
    try (Admin admin = Admin.create(props)) {
      int live = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
      System.exit(live > 0 ? 0 : 1);
    } catch (Exception e) {
      System.exit(1);
    }
  }
}
