// Run by VideoProbe through executeScript. Argument: CSS selector of a <video> element, or of an
// element with one inside. Answers {width, height, frames, red, green, blue} for the frame it shows
// now, or {problem: "..."} while it shows nothing.
const [selector] = arguments;

function look() {
	const element = document.querySelector(selector);
	if (!element) {
		return {problem: 'no element matches ' + selector};
	}
	const video = element.tagName === 'VIDEO' ? element : element.querySelector('video');
	if (!video) {
		return {problem: 'no <video> in ' + selector};
	}
	const stream = video.srcObject;
	if (!(stream instanceof MediaStream) || stream.getVideoTracks().length === 0) {
		return {problem: selector + ' has no video MediaStream as srcObject'};
	}
	if (video.videoWidth === 0 || video.readyState < 2) {
		return {problem: selector + ' has not decoded a frame yet (readyState ' + video.readyState + ')'};
	}
	// One canvas per element, kept: the probe is polled.
	const canvas = video.webphoneVideoProbe || (video.webphoneVideoProbe = document.createElement('canvas'));
	canvas.width = video.videoWidth;
	canvas.height = video.videoHeight;
	const painter = canvas.getContext('2d', {willReadFrequently: true});
	painter.drawImage(video, 0, 0);
	const pixels = painter.getImageData(0, 0, canvas.width, canvas.height).data;
	const sum = [0, 0, 0];
	for (let i = 0; i < pixels.length; i += 4) {
		sum[0] += pixels[i];
		sum[1] += pixels[i + 1];
		sum[2] += pixels[i + 2];
	}
	const count = pixels.length / 4;
	return {
		width: video.videoWidth,
		height: video.videoHeight,
		frames: video.getVideoPlaybackQuality().totalVideoFrames,
		red: Math.round(sum[0] / count),
		green: Math.round(sum[1] / count),
		blue: Math.round(sum[2] / count)
	};
}

return look();
