package dev.webphone.ice;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TurnRestCredentialsTests {

	@Test
	void usernameIsExpiryInUnixSecondsThenClientId() {
		assertThat(TurnRestCredentials.username(Instant.ofEpochSecond(1_700_000_000L, 999_000_000), "1001"))
			.isEqualTo("1700000000:1001");
	}

	@Test
	void passwordMatchesOpensslHmacSha1() {
		// printf %s '1700000000:1001' | openssl dgst -sha1 -hmac 'webphone-test-secret' -binary | base64
		assertThat(TurnRestCredentials.password("webphone-test-secret", "1700000000:1001"))
			.isEqualTo("uz1nf90JRudyXwCliUWD2h52TVw=");
		// printf %s '1700086400:alice@example' | openssl dgst -sha1 -hmac 'n0t-so-s3cret' -binary | base64
		assertThat(TurnRestCredentials.password("n0t-so-s3cret", "1700086400:alice@example"))
			.isEqualTo("aferIWbSsnOyyn4TC+zSoup9qKw=");
	}

	@Test
	void blankClientIdIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> TurnRestCredentials.username(Instant.EPOCH, " "));
	}

}
