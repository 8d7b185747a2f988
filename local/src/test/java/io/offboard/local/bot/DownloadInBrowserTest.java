package io.offboard.local.bot;

import static org.assertj.core.api.Assertions.assertThat;

import io.offboard.local.support.BotFixture;
import io.offboard.local.support.ExportComment;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The download link in a real browser: Debian's headless Chromium driven through its chromedriver (both at their
 * installed paths, nothing downloaded). The owner follows the link from the export comment, reads the archive's
 * facts, signs in on the GitHub stand-in and gets the file, whose SHA-256 is the comment's; a stranger signs in and
 * gets the 403 page; a sign-in whose {@code state} was edited on the authorize page is refused and leaves neither a
 * session nor a file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DownloadInBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private BotFixture f;
    private URI link;
    private String archiveName;
    private String sha;
    private String bytes;

    @BeforeAll
    void start() throws Exception {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed) {
            String missing = "Chromium and chromedriver are not at " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (apt-get install chromium chromium-driver; .ci/run installs them)";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(missing);
            }
            Assumptions.abort(missing + ": the browser test is skipped");
        }
        f = new BotFixture(Instant.parse("2026-12-01T09:00:00Z"), "browser-test-secret", List.of("alice", "mallory"));
        int issue = f.file("acme", "@alice", "2027-01-15");
        f.comment(issue, "alice", "/export");
        ExportComment result = ExportComment.of(f.botComment(issue, "is ready"));
        archiveName = result.archiveName();
        link = result.link();
        sha = result.sha256();
        bytes = result.bytes();
    }

    @AfterAll
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void theOwnerFollowsTheLinkSignsInAndSavesTheArchiveWithTheCommentsChecksum(@TempDir Path profile,
                                                                                @TempDir Path downloads)
            throws Exception {
        WebDriver browser = browser(profile, downloads);
        try {
            browser.get(link.toString());
            assertThat(browser.findElement(By.id("archive-name")).getText()).isEqualTo(archiveName);
            assertThat(browser.findElement(By.id("archive-bytes")).getText()).isEqualTo(bytes);
            assertThat(browser.findElement(By.id("archive-sha256")).getText()).isEqualTo(sha);
            assertThat(browser.findElement(By.id("issue")).getText()).isEqualTo(BotFixture.REPO + "#1");

            browser.findElement(By.id("sign-in")).click();
            signInOnTheStandIn(browser, "alice");

            Path saved = awaitDownload(downloads, Duration.ofSeconds(60)).orElseThrow(
                    () -> new AssertionError("no file was saved; the browser shows:\n" + browser.getPageSource()));
            assertThat(saved.getFileName().toString()).isEqualTo(archiveName);
            assertThat(ExportComment.sha256Of(saved)).isEqualTo(sha);

            // the session the browser keeps: HttpOnly (no script reads it), SameSite=Lax
            browser.get(f.bot.url().resolve("/health").toString());
            Cookie session = browser.manage().getCookieNamed("offboard_session");
            assertThat(session).isNotNull();
            assertThat(session.isHttpOnly()).isTrue();
            assertThat(session.getSameSite()).isEqualTo("Lax");
            assertThat(((JavascriptExecutor) browser).executeScript("return document.cookie")).asString()
                    .doesNotContain("offboard_session");
        } finally {
            browser.quit();
        }
    }

    @Test
    void aStrangerWhoSignsInGetsTheRefusalPage(@TempDir Path profile, @TempDir Path downloads) throws Exception {
        WebDriver browser = browser(profile, downloads);
        try {
            browser.get(link.toString());
            browser.findElement(By.id("sign-in")).click();
            signInOnTheStandIn(browser, "mallory");

            new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(
                    By.id("refusal")));
            assertThat(browser.getTitle()).startsWith("You cannot download this archive");
            assertThat(browser.findElement(By.id("refusal")).getText()).contains("signed in as @mallory")
                    .contains("capability owners of this eviction (@alice)").contains("operators");
            assertThat(browser.getPageSource()).doesNotContain("X-Amz-");
            assertThat(awaitDownload(downloads, Duration.ofSeconds(1))).isEmpty();
        } finally {
            browser.quit();
        }
    }

    @Test
    void aSignInWhoseStateWasTamperedWithIsRefused(@TempDir Path profile, @TempDir Path downloads) throws Exception {
        WebDriver browser = browser(profile, downloads);
        try {
            browser.get(link.toString());
            browser.findElement(By.id("sign-in")).click();
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(
                    By.id("authorize")));
            // someone edits the state the bot gave this browser before GitHub sends it back
            ((JavascriptExecutor) browser).executeScript(
                    "const s = document.getElementById('state'); s.value = 'eyJub25jZSI6ImZvcmdlZCJ9' + s.value;");
            browser.findElement(By.id("login")).sendKeys("alice");
            browser.findElement(By.id("authorize")).click();

            new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(
                    By.id("sign-in-failed")));
            assertThat(browser.getTitle()).startsWith("Sign-in did not complete");
            assertThat(browser.manage().getCookieNamed("offboard_session")).as("no session").isNull();
            assertThat(awaitDownload(downloads, Duration.ofSeconds(1))).as("no file").isEmpty();

            browser.get(link.toString());
            assertThat(browser.findElement(By.id("sign-in")).getText()).as("still signed out")
                    .isEqualTo("Sign in with GitHub");
        } finally {
            browser.quit();
        }
    }

    // ---- helpers

    private void signInOnTheStandIn(WebDriver browser, String login) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(
                By.id("authorize")));
        assertThat(browser.getTitle()).isEqualTo("Sign in to GitHub (stand-in)");
        assertThat(browser.getCurrentUrl()).startsWith(f.github.webUrl() + "/login/oauth/authorize?");
        browser.findElement(By.id("login")).sendKeys(login);
        browser.findElement(By.id("authorize")).click();
    }

    private static WebDriver browser(Path profile, Path downloads) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile.toAbsolutePath());
        options.setExperimentalOption("prefs", Map.of(
                "download.default_directory", downloads.toAbsolutePath().toString(),
                "download.prompt_for_download", false,
                "download.directory_upgrade", true,
                "safebrowsing.enabled", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(new File(profile.toFile(), "chromedriver.log"))
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        // headless Chromium saves downloads only where it is told to
        driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of(
                "behavior", "allow", "downloadPath", downloads.toAbsolutePath().toString(), "eventsEnabled", false));
        return driver;
    }

    /** The first finished download (no {@code .crdownload} part file left), within {@code wait}. */
    private static Optional<Path> awaitDownload(Path downloads, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        do {
            try (Stream<Path> files = Files.list(downloads)) {
                List<Path> all = files.sorted(Comparator.naturalOrder()).toList();
                boolean partial = all.stream().anyMatch(p -> p.toString().endsWith(".crdownload"));
                if (!all.isEmpty() && !partial) {
                    return Optional.of(all.get(0));
                }
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }
}
