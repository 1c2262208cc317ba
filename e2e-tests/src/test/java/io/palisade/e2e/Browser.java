package io.palisade.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's, through Debian's chromedriver: nothing is downloaded) signed in to the portal
 * through Keycloak's own login page. Every wait is bounded, so a page that never shows what a test expects fails the
 * test instead of hanging it.
 */
final class Browser implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CHROMIUM = System.getProperty("palisade.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("palisade.chromedriver", "/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of(System.getProperty("palisade.screenshots",
            "target/portal-screenshots"));

    final ChromeDriver driver;
    private final Path profile;

    private Browser(int width, int height) throws IOException {
        for (String path : new String[] { CHROMIUM, CHROMEDRIVER }) {
            if (!new File(path).canExecute()) {
                throw new IllegalStateException(path + " is missing: install Debian's chromium and chromium-driver "
                        + "(./palisade test does it when run as root), or pass -Dpalisade.chromium/-Dpalisade.chromedriver");
            }
        }
        profile = Files.createTempDirectory("palisade-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** A laptop-sized window, signed in as {@code user} through Keycloak's real login page. */
    static Browser signedInAs(String user) throws IOException {
        Browser browser = new Browser(1366, 900);
        browser.signIn(user);
        return browser;
    }

    void signIn(String user) {
        driver.get(Stack.GATEWAY + "/portal");
        // Keycloak's own login form (realm palisade), reached through the gateway's code-flow redirect
        waitFor(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(Stack.password(user));
        driver.findElement(By.id("kc-login")).click();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.urlContains(Stack.GATEWAY + "/portal"));
        waitFor(By.cssSelector("[data-testid=user]"));
    }

    void open(String path) {
        driver.get(Stack.GATEWAY + path);
    }

    WebElement waitFor(By by) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    void waitForText(By by, String text) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    boolean has(By by) {
        return !driver.findElements(by).isEmpty();
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Runs {@code fetch} inside the page (same origin, the user's session cookie) and returns the status. */
    long fetchStatus(String method, String path, Map<String, String> headers) {
        Object status = ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[1], { method: arguments[0], headers: arguments[2], credentials: 'same-origin' })
                  .then(r => done(r.status)).catch(e => done(-1));""", method, path, headers);
        return ((Number) status).longValue();
    }

    /** The page's CSRF token, as its htmx requests send it. */
    String csrfToken() {
        return (String) script("return JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token'];");
    }

    void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
