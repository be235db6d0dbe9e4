package dev.webphone.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The start page and the tutorial's voice call page.
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
		model.addAttribute("scriptUrl", this.page.scriptUrl());
		model.addAttribute("serverAddress",
				this.page.serverAddress().isEmpty() ? request.getServerName() : this.page.serverAddress());
		model.addAttribute("line", this.page.line());
		return "voicecall";
	}

}
