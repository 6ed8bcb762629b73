"""Drives Debian's chromium (headless) with selenium over the rsk console and prints what the page rendered, as
JSON on stdout; ConsoleBrowserTest asserts on it. Usage: console_check.py URL SCREENSHOT [TOKEN]"""
import json
import shutil
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

url, screenshot = sys.argv[1], sys.argv[2]
token = sys.argv[3] if len(sys.argv) > 3 else None
profile = tempfile.mkdtemp(prefix="rsk-chromium-")
options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for arg in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1400,1300", "--user-data-dir=" + profile]:
    options.add_argument(arg)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.set_page_load_timeout(30)
try:
    driver.get(url)
    if token:
        driver.execute_script("localStorage.setItem('rsk.token', arguments[0]);", token)
        driver.get(url)
    wait = WebDriverWait(driver, 60)
    wait.until(lambda d: "ready" in d.find_element(By.ID, "status").text
               or "error" in (d.find_element(By.ID, "status").get_attribute("class") or ""))
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#similar tbody tr")
               or "error" in (d.find_element(By.ID, "status").get_attribute("class") or ""))
    # Pixels drawn on each chart canvas (non-transparent), read back from the canvas itself.
    painted = """const c = document.getElementById(arguments[0]); const g = c.getContext('2d');
        const px = g.getImageData(0, 0, c.width, c.height).data; let n = 0;
        for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++; return n;"""
    result = {
        "status": driver.find_element(By.ID, "status").text,
        "modules": [r.get_attribute("data-module") for r in driver.find_elements(By.CSS_SELECTOR, "#modules tbody tr")],
        "frequencyPixels": driver.execute_script(painted, "frequency-chart"),
        "hoursPixels": driver.execute_script(painted, "hours-chart"),
        "charts": driver.execute_script("return Object.keys(Chart.instances).length;"),
        "treeNodes": [n.text for n in driver.find_elements(By.CSS_SELECTOR, "#tree .node")],
        "similar": [r.text for r in driver.find_elements(By.CSS_SELECTOR, "#similar tbody tr")],
    }
    driver.find_element(By.ID, "query").clear()
    driver.find_element(By.ID, "query").send_keys('{"where": "cat", "select": ["count"]}')
    driver.find_element(By.CSS_SELECTOR, "#query-form button").click()
    wait.until(lambda d: d.find_element(By.ID, "query-result").text
               or "error" in (d.find_element(By.ID, "status").get_attribute("class") or ""))
    result["query"] = driver.find_element(By.ID, "query-result").text
    driver.execute_script("window.scrollTo(0, 0);")
    driver.save_screenshot(screenshot)
    print(json.dumps(result))
finally:
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)
