package io.parley.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.parley.server.ws.ClientSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The boundaries the code relies on, checked on the compiled classes of every module (the server
 * and bench run on the class path, where {@code module-info} enforces nothing): internal packages
 * stay internal, the RPC engine stays transport-free, the delivery core stays below the chat
 * methods, and a session's ordering lock never leaves the WebSocket layer.
 */
class ArchitectureTest {
  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.parley");
  }

  @Test
  void theProtocolsInternalsAreItsOwnAndTheSdks() {
    noClasses().that().resideOutsideOfPackages("io.parley.protocol..", "io.parley.client..")
        .should().dependOnClassesThat().resideInAPackage("io.parley.protocol.internal..")
        .because("protocol.internal is exported to the SDK only; others use io.parley.protocol.JsonText")
        .check(main);
  }

  @Test
  void theStoresInternalsAreItsOwn() {
    noClasses().that().resideOutsideOfPackage("io.parley.sql..")
        .should().dependOnClassesThat().resideInAPackage("io.parley.sql.internal..")
        .check(main);
  }

  @Test
  void theSdksInternalsAreItsOwn() {
    noClasses().that().resideOutsideOfPackage("io.parley.client..")
        .should().dependOnClassesThat().resideInAPackage("io.parley.client.internal..")
        .check(main);
  }

  @Test
  void theRpcEngineKnowsNoTransportAndNoMethods() {
    noClasses().that().resideInAPackage("io.parley.server.rpc..")
        .should().dependOnClassesThat().resideInAnyPackage("io.parley.server.ws..", "io.parley.server.http..",
            "io.parley.server.chat..", "io.parley.server.hub..", "io.parley.server.cluster..",
            "org.eclipse.jetty..")
        .check(main);
  }

  @Test
  void theDeliveryCoreKnowsNoChatMethodsNoClusterAndNoRpc() {
    noClasses().that().resideInAPackage("io.parley.server.hub..")
        .should().dependOnClassesThat().resideInAnyPackage("io.parley.server.chat..", "io.parley.server.cluster..",
            "io.parley.server.rpc..", "io.parley.server.http..", "io.nats..", "org.eclipse.jetty..")
        .check(main);
  }

  @Test
  void onlyTheClusterTalksToNats() {
    noClasses().that().resideOutsideOfPackage("io.parley.server.cluster..")
        .should().dependOnClassesThat().resideInAPackage("io.nats..")
        .check(main);
  }

  @Test
  void aSessionsOrderingLockIsTakenInTheWebSocketLayerOnly() {
    noClasses().that().resideOutsideOfPackage("io.parley.server.ws..")
        .should().callMethod(ClientSession.class, "order")
        .because("\"reply, then go live\" and a room's held messages are the WebSocket layer's business")
        .check(main);
  }
}
