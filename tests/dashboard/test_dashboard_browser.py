"""An officer's week in a real browser: sign in, answer the queue, check trends, thank an advocate."""

from datetime import timedelta

from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

from advocacy.inputs import Handle, NewMention


def test_an_officer_answers_the_queue_and_thanks_the_top_advocate(browser, live_server, flask_app, advocacy, clock):
    advocacy.track_brand("Gojek", own=True)
    advocacy.register_customer("CRM-1", "Budi Santoso", handles=[Handle("instagram", "budi")])
    advocacy.register_customer("CRM-2", "Sari Dewi")
    day = clock.now - timedelta(days=2)
    advocacy.record_mentions(
        [
            NewMention("ig", "1", "Gojek", "instagram", "Pelayanannya mantap banget, sangat puas!", day, crm_id="CRM-1", reach=900),
            NewMention("ig", "2", "Gojek", "instagram", "Saldo kepotong tapi order gagal, kecewa parah", day, crm_id="CRM-2"),
        ]
    )
    flask_app.extensions["advocacy"].reads.wait(advocacy.head(), 10)

    browser.get(f"{live_server}/dashboard/attention")
    browser.find_element(By.NAME, "officer").send_keys("Rina")
    browser.find_element(By.NAME, "key").send_keys("officer-key")
    browser.find_element(By.ID, "sign-in").click()

    queue = browser.find_element(By.ID, "attention")
    assert "Sari Dewi" in queue.text
    queue.find_element(By.CSS_SELECTOR, "form button").click()
    WebDriverWait(browser, 10).until(replaced(queue))
    assert "Sari Dewi" not in browser.find_element(By.TAG_NAME, "main").text

    browser.find_element(By.CSS_SELECTOR, "nav a[href$='/dashboard/trends']").click()
    chart = browser.find_element(By.CSS_SELECTOR, "svg.chart")
    assert chart.is_displayed() and chart.size["height"] > 100
    assert chart.find_elements(By.CSS_SELECTOR, "circle.net"), "net sentiment is drawn"

    browser.find_element(By.CSS_SELECTOR, "nav a[href$='/dashboard/advocates']").click()
    card = browser.find_element(By.CSS_SELECTOR, "#recommendations > li")
    assert "Budi Santoso" in card.text
    card.find_element(By.CSS_SELECTOR, "button").click()
    WebDriverWait(browser, 10).until(replaced(card))

    assert advocacy.get_customer("CRM-1")["outreach"], "the outreach was logged"
    assert "Budi Santoso" not in browser.find_element(By.ID, "recommendations").text


def replaced(element):
    """Wait condition: `element` left the page (the form post reloaded it).

    Like selenium's `staleness_of`, except that Chrome sometimes reports a node that left the document as
    "Node with given id does not belong to the document" (a plain WebDriverException) rather than as a
    stale element, which `staleness_of` lets through as an error.
    """

    def left(_driver):
        try:
            element.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
        return False

    return left
