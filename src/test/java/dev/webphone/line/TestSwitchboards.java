package dev.webphone.line;

import java.util.List;
import java.util.stream.Stream;

import dev.webphone.ice.IceServerProvider;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Switchboards for tests outside a Spring context: the given lines, no ICE servers, no observers.
 * Call {@link Switchboard#destroy()} when done.
 */
public final class TestSwitchboards {

	private TestSwitchboards() {
	}

	@SuppressWarnings("unchecked")
	public static Switchboard of(LineProperties.Spec... lines) {
		IceServerProvider ice = mock(IceServerProvider.class);
		given(ice.iceServersFor(anyString())).willReturn(List.of());
		ObjectProvider<CallObserver> observers = mock(ObjectProvider.class);
		given(observers.orderedStream()).willAnswer((invocation) -> Stream.empty());
		return new Switchboard(new LineProperties(List.of(lines)), PresenceProperties.defaults(), ice, observers, new StaticListableBeanFactory().getBeanProvider(LineJournal.class));
	}

}
