package dev.webphone.ice;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real coturn for the tests of one class: started before them (and so before the class's Spring
 * context, whose {@code @DynamicPropertySource} may read {@link #coturn()}), stopped after them.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final CoturnExtension turn = CoturnExtension.withSecret("s3cret");
 * }</pre>
 */
public final class CoturnExtension implements BeforeAllCallback, AfterAllCallback {

	private final String sharedSecret;

	private Coturn coturn;

	private CoturnExtension(String sharedSecret) {
		this.sharedSecret = sharedSecret;
	}

	/** A coturn that accepts TURN REST credentials made from {@code sharedSecret}. */
	public static CoturnExtension withSecret(String sharedSecret) {
		return new CoturnExtension(sharedSecret);
	}

	/** The running coturn; only between this extension's before-all and after-all. */
	public Coturn coturn() {
		if (this.coturn == null) {
			throw new IllegalStateException("coturn is not running");
		}
		return this.coturn;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		Coturn.requireInstalled();
		this.coturn = Coturn.start(this.sharedSecret);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.coturn != null) {
			this.coturn.close();
			this.coturn = null;
		}
	}

}
