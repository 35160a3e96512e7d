package io.scoreboard.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's Chromium and its chromedriver (packages {@code chromium}, {@code chromium-driver}), driven by Selenium
 * with both paths given, so that Selenium Manager is never asked for, and never downloads, a browser or a driver
 * (ADR 0037). Missing packages fail the test that needs them, saying how to install them: a browser test that
 * skips itself quietly would let the page break unnoticed.
 */
final class HeadlessChromium {

    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {}

    /** A headless Chromium; chromedriver's log goes to {@code driverLog}. */
    static ChromeDriver start(Path driverLog) {
        List<String> missing = new ArrayList<>();
        for (Path program : List.of(BROWSER, DRIVER)) {
            if (!Files.isExecutable(program)) {
                missing.add(program.toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(String.join(" and ", missing) + " missing: the browser tests use Debian's "
                    + "Chromium and chromedriver. Install them with: apt-get install -y chromium chromium-driver "
                    + "(.ci/run does this when it runs as root).");
        }
        // Selenium asks Selenium Manager only for a path it does not know; the property names the driver too.
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, DRIVER.toString());
        try {
            Files.createDirectories(driverLog.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(driverLog.toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments(
                "--headless=new",
                // CI runs as root, and Chromium refuses to start its sandbox as root; the browser opens only our page
                "--no-sandbox",
                // containers often have a small /dev/shm, which crashes tabs
                "--disable-dev-shm-usage",
                "--window-size=1280,900",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL); // the page's console, shown when a wait fails
        options.setCapability("goog:loggingPrefs", logs);
        return new ChromeDriver(service, options);
    }

    /** The browser console's lines so far (best effort: for failure messages). */
    static String console(ChromeDriver browser) {
        try {
            StringBuilder lines = new StringBuilder();
            browser.manage().logs().get(LogType.BROWSER).forEach(entry ->
                    lines.append(entry.getLevel()).append(' ').append(entry.getMessage()).append('\n'));
            return lines.isEmpty() ? "(empty)" : lines.toString();
        } catch (RuntimeException e) {
            return "(console not available: " + e.getMessage() + ")";
        }
    }
}
