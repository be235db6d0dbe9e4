// Run by ToneProbe through executeAsyncScript. Arguments: CSS selector of an <audio> element whose
// srcObject is a MediaStream, listening window in ms, highest frequency to report, WebDriver callback.
// Answers {binHz, frames, db: [average level per bin]} or {problem: "..."} while there is nothing to hear.
const [selector, windowMs, maxHz, done] = arguments;

async function listen() {
	const element = document.querySelector(selector);
	if (!element) {
		return {problem: 'no element matches ' + selector};
	}
	const stream = element.srcObject;
	if (!(stream instanceof MediaStream) || stream.getAudioTracks().length === 0) {
		return {problem: selector + ' has no audio MediaStream as srcObject yet'};
	}
	// Polls repeat every second or so: keep one AudioContext per stream, as Chromium limits live contexts.
	let probe = element.webphoneToneProbe;
	if (!probe || probe.stream !== stream) {
		if (probe) {
			probe.context.close();
		}
		const context = new AudioContext();
		const analyser = context.createAnalyser();
		analyser.fftSize = 8192;
		analyser.smoothingTimeConstant = 0;
		context.createMediaStreamSource(stream).connect(analyser);
		probe = element.webphoneToneProbe = {stream, context, analyser};
	}
	const {context, analyser} = probe;
	if (context.state !== 'running') {
		await context.resume();
	}
	const binHz = context.sampleRate / analyser.fftSize;
	const bins = Math.min(analyser.frequencyBinCount, Math.ceil(maxHz / binHz));
	const frame = new Float32Array(analyser.frequencyBinCount);
	const power = new Float64Array(bins);
	// One FFT window apart, so that successive reads see fresh samples; averaging them steadies the floor.
	const frameMs = 1000 * analyser.fftSize / context.sampleRate;
	const end = performance.now() + windowMs;
	let frames = 0;
	do {
		await new Promise(resolve => setTimeout(resolve, frameMs));
		analyser.getFloatFrequencyData(frame);
		for (let i = 0; i < bins; i++) {
			power[i] += Math.pow(10, frame[i] / 10);
		}
		frames++;
	} while (performance.now() < end);
	const db = Array.from(power, p => p > 0 ? Math.round(100 * Math.log10(p / frames)) / 10 : -200);
	return {binHz, frames, contextState: context.state, db};
}

listen().then(done, error => done({problem: 'probe failed: ' + error}));
