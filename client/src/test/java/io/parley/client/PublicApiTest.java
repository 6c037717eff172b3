package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The SDK's public API names no Gson type (raw calls take and return JSON text), and its failures are its own. */
class PublicApiTest {
  private static final List<Class<?>> API = List.of(ParleyClient.class, ParleyClientBuilder.class, JoinedRoom.class,
      ClientResources.class, ConnectionListener.class, ReconnectPolicy.class, Registration.class, MessageState.class);

  @Test
  void noPublicSignatureMentionsGson() {
    List<String> leaks = new ArrayList<>();
    for (Class<?> type : API) {
      for (Method method : type.getMethods()) {
        if (!Modifier.isPublic(method.getModifiers()) || method.getDeclaringClass() == Object.class) {
          continue;
        }
        String signature = method.toGenericString();
        if (signature.contains("com.google.gson")) {
          leaks.add(signature);
        }
      }
    }
    assertThat(leaks).isEmpty();
  }

  @Test
  void everyFailureOfTheSdkIsAParleyExceptionOfItsPublicPackage() {
    assertThat(List.of(RpcErrorException.class, CallTimeoutException.class, ConnectionClosedException.class,
        StreamOverflowException.class)).allSatisfy(type -> {
          assertThat(ParleyException.class).isAssignableFrom(type);
          assertThat(type.getPackageName()).isEqualTo("io.parley.client");
        });
    RpcErrorException error = new RpcErrorException(-32602, "limit: expected 1-1000, got 0", "{\"field\":\"limit\"}");
    assertThat(error).hasMessage("-32602 limit: expected 1-1000, got 0");
    assertThat(error.data()).isEqualTo("{\"field\":\"limit\"}");
  }

  @Test
  void rawCallsTakeAndReturnJsonText() throws NoSuchMethodException {
    assertThat(Stream.of(ParleyClient.class.getMethod("call", String.class, String.class),
        ParleyClient.class.getMethod("echo", String.class), ParleyClient.class.getMethod("discover")))
        .allSatisfy(m -> assertThat(m.getGenericReturnType().getTypeName())
            .isEqualTo("java.util.concurrent.CompletableFuture<java.lang.String>"));
  }
}
