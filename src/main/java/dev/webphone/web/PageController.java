package dev.webphone.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The start page, the tutorial's voice call page, the video call page and the softphone.
 */
@Controller
class PageController {

	private final PageProperties page;

	PageController(PageProperties page) {
		this.page = page;
	}

	@GetMapping("/")
	String start(Model model) {
		model.addAttribute("line", this.page.line());
		return "start";
	}

	@GetMapping("/voicecall")
	String voiceCall(HttpServletRequest request, Model model) {
		connection(request, model);
		return "voicecall";
	}

	@GetMapping("/videocall")
	String videoCall(HttpServletRequest request, Model model) {
		connection(request, model);
		return "videocall";
	}

	@GetMapping("/phone")
	String phone(HttpServletRequest request, Model model) {
		connection(request, model);
		return "phone";
	}

	/** Where a page's script comes from and what it connects to. */
	private void connection(HttpServletRequest request, Model model) {
		model.addAttribute("scriptUrl", this.page.scriptUrl());
		model.addAttribute("serverAddress",
				this.page.serverAddress().isEmpty() ? request.getServerName() : this.page.serverAddress());
		model.addAttribute("line", this.page.line());
	}

}
