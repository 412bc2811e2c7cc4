"""Page templates ("shells"): the markup of the CMSs, page builders and site types in wide use, written from
scratch for the dev pages. Each takes an article (build.Article) and returns the whole page.

None copies a real site: class names follow the public conventions of each system (WordPress block classes,
Elementor widgets, Drupal fields, Arc/Fusion, Dotdash "mntl" components, Substack, Ghost, Tilda, Bitrix, ...)
so the cleaner meets the same structures it meets on the web.
"""

from __future__ import annotations

from typing import Any

from render import (
    attr,
    body_parts,
    byline_text,
    cookie_banner,
    date_text,
    dek,
    document,
    esc,
    footer,
    fur,
    head,
    menu,
    newsletter,
    pick,
    related_list,
    share_bar,
    slug,
    tags_box,
    teaser_cards,
    time_tag,
)


def gutenberg(a: Any) -> str:
    """WordPress with a block theme (Gutenberg markup)."""
    lead, body = body_parts(a, {
        "h2": lambda h: f'<h2 class="wp-block-heading">{h}</h2>',
        "quote": lambda h: f'<blockquote class="wp-block-quote"><p>{h}</p></blockquote>',
        "list": lambda items: '<ul class="wp-block-list">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>",
        "figure": lambda h: f'<figure class="wp-block-image size-large"><img src="/wp-content/uploads/x.jpg" alt=""><figcaption class="wp-element-caption">{h}</figcaption></figure>',
    })  # fmt: skip
    lead_html = f'<p class="has-large-font-size entry-lead">{lead}</p>' if lead else ""
    page = f"""<div class="wp-site-blocks">
<header class="wp-block-template-part"><div class="wp-block-group site-header"><p class="wp-block-site-title"><a href="/">{esc(a.get("site"))}</a></p>
<nav class="wp-block-navigation">{menu(a, "wp-block-navigation__container")}</nav></div></header>
<main class="wp-block-group">
<div class="wp-block-group post-header">
<h1 class="wp-block-post-title">{esc(a.get("title"))}</h1>
{lead_html}
<div class="wp-block-group post-meta"><div class="wp-block-post-author"><div class="wp-block-post-author__name">{esc(byline_text(a))}</div></div>
<div class="wp-block-post-date">{time_tag(a)}</div></div>
</div>
<div class="entry-content wp-block-post-content">
{body}
</div>
<div class="wp-block-post-terms">{tags_box(a)}</div>
<div class="wp-block-comments"><h2 class="wp-block-comments-title">{esc(fur(a, "comments"))}</h2><p>{esc(fur(a, "comment_text"))}</p></div>
{related_list(a, klass="wp-block-query related")}
</main>
{footer(a, "wp-block-template-part site-footer")}
</div>"""
    return document(a, head(a, '<meta name="generator" content="WordPress 6.7">', " – "), page, "wp-singular post-template-default single")


def elementor(a: Any) -> str:
    """WordPress with the Elementor page builder: every paragraph in its own widget."""
    def widget(kind: str, inner: str) -> str:
        return (f'<div class="elementor-element elementor-widget elementor-widget-{kind}" data-widget_type="{kind}.default">'
                f'<div class="elementor-widget-container">{inner}</div></div>')
    lead, body = body_parts(a, {
        "p": lambda h: widget("text-editor", f"<p>{h}</p>"),
        "h2": lambda h: widget("heading", f'<h2 class="elementor-heading-title elementor-size-default">{h}</h2>'),
        "quote": lambda h: widget("blockquote", f'<blockquote class="elementor-blockquote"><p class="elementor-blockquote__content">{h}</p></blockquote>'),
        "list": lambda items: widget("text-editor", "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"),
        "figure": lambda h: widget("image", f'<figure class="wp-caption"><img src="/u.jpg" alt=""><figcaption class="widget-image-caption wp-caption-text">{h}</figcaption></figure>'),
        "credit": lambda h: widget("text-editor", f"<p><em>{h}</em></p>"),
    })  # fmt: skip
    lead_html = widget("text-editor", f'<p class="intro">{lead}</p>') if lead else ""
    section = '<section class="elementor-section elementor-top-section elementor-element elementor-section-boxed"><div class="elementor-container elementor-column-gap-default"><div class="elementor-column elementor-col-100 elementor-top-column elementor-element"><div class="elementor-widget-wrap elementor-element-populated">'
    page = f"""<div data-elementor-type="header" class="elementor elementor-location-header">{section}
{widget("theme-site-logo elementor-widget-image", f'<a href="/">{esc(a.get("site"))}</a>')}
{widget("nav-menu", f'<nav class="elementor-nav-menu--main">{menu(a, "elementor-nav-menu")}</nav>')}
</div></div></div></section></div>
<div data-elementor-type="single-post" class="elementor elementor-location-single post type-post">{section}
{widget("theme-post-title elementor-page-title elementor-widget-heading", f'<h1 class="elementor-heading-title">{esc(a.get("title"))}</h1>')}
{lead_html}
{widget("post-info", f'<ul class="elementor-post-info"><li class="elementor-icon-list-item"><span class="elementor-post-info__item--type-author">{esc(byline_text(a))}</span></li><li class="elementor-icon-list-item">{time_tag(a, "elementor-post-info__item--type-date")}</li></ul>')}
{widget("theme-post-content", body)}
{widget("share-buttons", share_bar(a, "elementor-grid elementor-share-buttons"))}
{widget("heading", f'<h2 class="elementor-heading-title">{esc(fur(a, "more"))}</h2>')}
{widget("posts", teaser_cards(a, 3, "elementor-post"))}
{widget("form", newsletter(a, "elementor-form-fields-wrapper"))}
</div></div></div></section></div>
<div data-elementor-type="footer" class="elementor elementor-location-footer">{widget("text-editor", footer(a, "footer-text", "div"))}</div>"""
    return document(a, head(a, '<meta name="generator" content="Elementor 3.27.0">', " - "), page,
                    "post-template-default single single-post elementor-default elementor-kit-12")


def drupal(a: Any) -> str:
    """Drupal 10 with an article node (field markup)."""
    lead, body = body_parts(a)
    lead_html = f'<div class="field field--name-field-lead field--type-text-long field--label-hidden field__item"><p>{lead}</p></div>' if lead else ""
    page = f"""<a href="#main-content" class="visually-hidden focusable skip-link">{esc(fur(a, "skip"))}</a>
<div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>
<div class="layout-container">
<header role="banner"><div class="region region-header"><div id="block-sitebranding" class="block block-system"><a href="/" rel="home">{esc(a.get("site"))}</a></div></div>
<div class="region region-primary-menu"><nav role="navigation" id="block-mainnavigation" class="block block-menu navigation menu--main">{menu(a, "menu")}</nav></div></header>
<div class="region region-highlighted"><div data-drupal-messages-fallback class="hidden"></div></div>
<main role="main"><a id="main-content" tabindex="-1"></a>
<div class="layout-content"><div class="region region-content">
<div id="block-pagetitle" class="block block-core block-page-title-block"><h1 class="page-title"><span class="field field--name-title field--type-string">{esc(a.get("title"))}</span></h1></div>
{lead_html}
<article role="article" class="node node--type-article node--promoted node--view-mode-full">
<footer class="node__meta"><div class="node__submitted">{esc(byline_text(a))} {time_tag(a, "field--name-created")}</div></footer>
<div class="node__content">
<div class="clearfix text-formatted field field--name-body field--type-text-with-summary field--label-hidden field__item">
{body}
</div>
<div class="field field--name-field-tags field--type-entity-reference field--label-above">{tags_box(a, "field__items")}</div>
</div></article>
<div class="views-element-container block block-views block-views-blockrelated-block-1">{related_list(a, klass="view view-related")}</div>
</div></div>
<aside class="layout-sidebar-second" role="complementary">{related_list(a, "most_read", 5, "block-popular")}</aside>
</main>
{footer(a, "site-footer", "footer")}
</div></div>"""
    return document(a, head(a, '<meta name="Generator" content="Drupal 10 (https://www.drupal.org)">'), page,
                    "path-node page-node-type-article")


def arc(a: Any) -> str:
    """A newsroom on an Arc-style (Fusion) front end."""
    lead, body = body_parts(a, {
        "p": lambda h: f'<p class="c-paragraph">{h}</p>',
        "h2": lambda h: f'<h2 class="c-heading b-article-body__heading">{h}</h2>',
        "figure": lambda h: f'<figure class="c-media-item"><img src="/resizer/x.jpg" alt=""><figcaption class="c-media-item__fig-caption"><span class="c-media-item__caption">{h}</span></figcaption></figure>',
        "related": lambda label, h: f'<div class="c-interstitial-link"><span>{label}:</span> <a href="/a/{slug(h)[:30]}">{h}</a></div>',
        "credit": lambda h: f'<p class="c-paragraph c-paragraph--credit"><i>{h}</i></p>',
    })  # fmt: skip
    lead_html = f'<p class="c-paragraph b-article-lead">{lead}</p>' if lead else ""
    page = f"""<div id="fusion-app" class="layout-section">
<div class="b-header-nav-chain"><div class="b-header-nav-chain__top-layout"><a class="b-header-nav-chain__logo" href="/">{esc(a.get("site"))}</a>
<button class="c-button c-button--small">{esc(fur(a, "search"))}</button></div>{menu(a, "b-header-nav-chain__sections")}</div>
<main class="b-single-chain"><div class="b-single-chain__main">
<div class="b-overline"><a href="/{slug(fur(a, "menu")[1])}/" class="c-overline">{esc(fur(a, "menu")[1])}</a></div>
<h1 class="b-headline c-heading">{esc(a.get("title"))}</h1>
{dek(a, "h2", "b-subheadline c-heading")}
{lead_html}
<div class="b-byline"><span class="c-attribution">{esc(byline_text(a))}</span></div>
<div class="b-date">{time_tag(a, "c-date")}</div>
<article class="b-article-body">
{body}
</article>
{share_bar(a, "b-share-bar")}
</div>
<div class="b-single-chain__rail"><div class="b-top-table-list"><h2>{esc(fur(a, "most_read"))}</h2>{teaser_cards(a, 4, "b-top-table-list-small")}</div></div>
</main>
{footer(a, "b-footer")}
</div>"""
    return document(a, head(a), page)


def dotdash(a: Any) -> str:
    """A Dotdash-Meredith-style template (mntl components)."""
    lead, body = body_parts(a, {
        "p": lambda h: f'<p class="comp mntl-sc-block mntl-sc-block-html">{h}</p>',
        "h2": lambda h: f'<h2 class="comp mntl-sc-block mntl-sc-block-heading"><span class="mntl-sc-block-heading__text">{h}</span></h2>',
        "list": lambda items: '<ul class="comp mntl-sc-block mntl-sc-block-html">' + "".join(f"<li><p>{i}</p></li>" for i in items) + "</ul>",
        "figure": lambda h: f'<figure class="comp mntl-sc-block mntl-sc-block-image figure-landscape"><img src="/thmb/x.jpg" alt=""><figcaption class="comp figure-article-caption mntl-figure-caption"><span class="figure-article-caption-text">{h}</span></figcaption></figure>',
    })  # fmt: skip
    lead_html = f'<p class="comp mntl-sc-block mntl-sc-block-html article-lead">{lead}</p>' if lead else ""
    points = a.split("takeaways", "|")
    takeaways = (
        '<div class="comp mntl-sc-block-callout mntl-block"><h3 class="mntl-sc-block-callout-heading">Key Takeaways</h3><ul>'
        + "".join(f"<li>{esc(t)}</li>" for t in points) + "</ul></div>"
    ) if points else ""
    page = f"""<header class="comp header mntl-header"><a class="mntl-header__logo" href="/">{esc(a.get("site"))}</a>
<nav class="comp mntl-fullscreen-nav">{menu(a, "mntl-fullscreen-nav__list")}</nav></header>
<main id="main" class="loc main">
<div class="comp breadcrumbs mntl-breadcrumbs"><a href="/">{esc(fur(a, "menu")[0])}</a> › <a href="/{slug(fur(a, "menu")[2])}">{esc(fur(a, "menu")[2])}</a></div>
<header class="comp article-header mntl-block"><h1 class="comp article-heading mntl-text-block">{esc(a.get("title"))}</h1>
{dek(a, "h2", "comp article-subheading mntl-text-block")}
<div class="comp mntl-attribution__item"><span class="mntl-attribution__item-name">{esc(byline_text(a))}</span></div>
<div class="comp mntl-attribution__item-date">{esc(fur(a, "updated"))} {time_tag(a, "mntl-attribution__date")}</div>
</header>
<article class="comp article-content mntl-block">
{takeaways}
<div id="mntl-sc-page_1-0" class="comp mntl-sc-page mntl-block" data-sc-sticky-offset="60">
{lead_html}
{body}
</div>
<div class="comp mntl-article-sources mntl-expandable-block"><h3>Article Sources</h3><ol><li>Annual report of the regional statistics office.</li></ol></div>
</article>
<div class="comp mntl-taxonomysc-article-list">{teaser_cards(a, 4, "mntl-card")}</div>
</main>
{footer(a, "comp mntl-footer")}"""
    return document(a, head(a), page, "mntl-sc-page")


def substack(a: Any) -> str:
    """A Substack newsletter post."""
    lead, body = body_parts(a, {
        "figure": lambda h: f'<div class="captioned-image-container"><figure><a class="image-link" href="#"><img src="/substack-post-media.jpg" alt=""></a><figcaption class="image-caption">{h}</figcaption></figure></div>',
        "credit": lambda h: f"<p><em>{h}</em></p>",
    })  # fmt: skip
    lead_html = f'<p class="post-lead">{lead}</p>' if lead else ""
    site = esc(a.get("site"))
    page = f"""<div id="entry"><div class="main-menu"><div class="topbar"><a class="navbar-title-link" href="/">{site}</a>
<a class="button primary" href="/subscribe">{esc(fur(a, "subscribe"))}</a><a class="sign-in-link" href="/sign-in">Sign in</a></div></div>
<div class="container"><div class="single-post-container"><div class="single-post"><article class="typography newsletter-post post">
<div class="post-header"><h1 class="post-title published">{esc(a.get("title"))}</h1>
{dek(a, "h3", "subtitle")}
{lead_html}
<div class="post-ufi"><div class="byline-wrapper"><div class="profile-hover-card-target"><a href="/profile">{esc(byline_text(a))}</a></div>
<div class="pencraft pc-reset color-pub-secondary-text">{esc(date_text(a))}</div></div></div></div>
<div class="available-content"><div dir="auto" class="body markup">
{body}
<div class="subscription-widget-wrap"><div class="subscription-widget"><p>{esc(fur(a, "newsletter"))}</p><button>{esc(fur(a, "subscribe"))}</button></div></div>
</div></div>
<div class="post-footer"><a class="post-ufi-button" href="#">Like</a><a class="post-ufi-button" href="#">{esc(fur(a, "comments"))}</a><a class="post-ufi-button" href="#">Share</a></div>
</article></div>
<div class="post-bottom"><h4>Discussion about this post</h4><p>{esc(fur(a, "comment_text"))}</p></div>
</div></div>
<div class="footer-wrap"><div class="footer"><p>© {site}</p><p>Substack is the home for great culture</p></div></div></div>"""
    return document(a, head(a, '<meta name="generator" content="Substack">', " - "), page)


def ghost(a: Any) -> str:
    """A Ghost blog (Casper-like theme)."""
    lead, body = body_parts(a, {
        "figure": lambda h: f'<figure class="kg-card kg-image-card kg-card-hascaption"><img src="/content/images/x.jpg" class="kg-image" alt=""><figcaption>{h}</figcaption></figure>',
        "quote": lambda h: f'<blockquote class="kg-blockquote-alt">{h}</blockquote>',
    })  # fmt: skip
    lead_html = f'<p class="article-lead">{lead}</p>' if lead else ""
    page = f"""<div class="viewport"><header id="gh-head" class="gh-head outer"><div class="gh-head-inner inner">
<div class="gh-head-brand"><a class="gh-head-logo" href="/">{esc(a.get("site"))}</a></div>
<nav class="gh-head-menu">{menu(a, "nav")}</nav><div class="gh-head-actions"><a class="gh-head-button" href="#/portal/signup">{esc(fur(a, "subscribe"))}</a></div></div></header>
<div class="site-content"><main id="site-main" class="site-main">
<article class="article post tag-news">
<header class="article-header gh-canvas">
<section class="article-tag post-card-tags"><span class="post-card-primary-tag"><a href="/tag/news/">{esc(fur(a, "menu")[1])}</a></span></section>
<h1 class="article-title">{esc(a.get("title"))}</h1>
{dek(a, "p", "article-excerpt")}
{lead_html}
<div class="article-byline"><section class="article-byline-content"><div class="article-byline-meta"><h4 class="author-name"><a href="/author/x/">{esc(byline_text(a))}</a></h4>
<div class="byline-meta-content">{time_tag(a, "byline-meta-date")}<span class="byline-reading-time">4 min read</span></div></div></section></div>
</header>
<section class="gh-content gh-canvas">
{body}
</section>
</article>
<section class="footer-cta outer"><div class="inner"><h2 class="footer-cta-title">{esc(fur(a, "newsletter"))}</h2><a class="footer-cta-button" href="#/portal">{esc(fur(a, "subscribe"))}</a></div></section>
<aside class="read-more-wrap outer"><div class="read-more inner">{teaser_cards(a, 3, "post-card")}</div></aside>
</main></div>
{footer(a, "site-footer outer")}
</div>"""
    return document(a, head(a, '<meta name="generator" content="Ghost 5.96">'), page, "post-template tag-news")


def nextjs(a: Any) -> str:
    """A React front end with CSS-module class names (WidgetWrapper_widget__hash)."""
    def w(kind: str, inner: str) -> str:
        return f'<div class="WidgetWrapper_widget__x7Fq2 WidgetWrapper_{kind}__aa31"><div class="Widget_inner__Lm0P">{inner}</div></div>'
    lead, body = body_parts(a, {
        "p": lambda h: w("text", f'<p class="Paragraph_root__Qz12">{h}</p>'),
        "h2": lambda h: w("heading", f'<h2 class="Heading_h2__kX8b">{h}</h2>'),
        "quote": lambda h: w("quote", f'<blockquote class="Quote_root__1aB">{h}</blockquote>'),
        "figure": lambda h: w("image", f'<figure class="Image_figure__7bC"><img src="/_next/image?url=x" alt=""><figcaption class="Image_caption__9dE">{h}</figcaption></figure>'),
        "related": lambda label, h: w("related", f'<aside class="InlineRelated_box__3Ff"><span>{label}</span><a href="/a/{slug(h)[:30]}">{h}</a></aside>'),
        "list": lambda items: w("list", '<ul class="List_root__5gH">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>"),
    })  # fmt: skip
    lead_html = f'<p class="ArticleHeader_lead__Rt5u">{lead}</p>' if lead else ""
    page = f"""<div id="__next"><div class="Header_root__k2Jd9"><a class="Header_logo__3kfP" href="/">{esc(a.get("site"))}</a><nav class="Header_nav__9LmQ">{menu(a, "Header_list__Zx1", li=True)}</nav></div>
{cookie_banner(a, "ConsentBanner_root__8uYt")}
<main class="Layout_main__P0xq1"><div class="ArticleHeader_root__H2cc">
<span class="ArticleHeader_kicker__7Pq">{esc(fur(a, "menu")[2])}</span>
<h1 class="ArticleHeader_title__3mXa">{esc(a.get("title"))}</h1>
{lead_html}
<div class="ArticleHeader_meta__Vb2"><span class="Byline_name__M8k">{esc(byline_text(a))}</span>{time_tag(a, "Byline_date__P4r")}</div></div>
<div class="ArticleBody_root__w1Xz">
{body}
{w("newsletter", newsletter(a, "NewsletterSignup_root__Zq1"))}
</div>
{w("share", share_bar(a, "ShareBar_root__C3v"))}
<section class="MoreStories_root__Ab9"><h2 class="MoreStories_title__x1">{esc(fur(a, "more"))}</h2>{teaser_cards(a, 4, "StoryCard_root__Lq")}</section>
</main>
{footer(a, "Footer_root__9aa", "div")}</div>"""
    return document(a, head(a), page)


def liveblog(a: Any) -> str:
    """A live blog: timestamped entries, newest first."""
    lead, body = body_parts(a)
    page = f"""<header class="site-header"><a href="/" class="logo">{esc(a.get("site"))}</a>{menu(a, "primary-nav")}</header>
{cookie_banner(a)}
<main class="liveblog">
<div class="live-badge">LIVE</div>
<h1 class="liveblog__title">{esc(a.get("title"))}</h1>
{dek(a, "p", "liveblog__standfirst")}
<div class="liveblog__meta"><span class="byline">{esc(byline_text(a))}</span> {time_tag(a, "liveblog__started")}</div>
<div class="liveblog__feed">
{f'<div class="live-entry pinned"><p>{lead}</p></div>' if lead else ""}
{body}
</div>
<button class="liveblog__more">Load more</button>
</main>
<aside class="sidebar">{related_list(a, "most_read", 5, "most-read")}</aside>
{footer(a)}"""
    return document(a, head(a), page, "live-page")


def regional_table(a: Any) -> str:
    """An old regional paper: table layout, <font>, paragraphs split by <br>."""
    lead, body = body_parts(a, {
        "p": lambda h: f"{h}<br><br>",
        "h2": lambda h: f"<b>{h}</b><br><br>",
        "quote": lambda h: f"<i>{h}</i><br><br>",
        "list": lambda items: "".join(f"&bull; {i}<br>" for i in items) + "<br>",
        "figure": lambda h: f'<table align="right" width="220"><tr><td><img src="/foto.jpg" width="200"><br><font size="1">{h}</font></td></tr></table>',
        "credit": lambda h: f'<font size="1">{h}</font><br><br>',
        "related": lambda label, h: f'<font size="2"><b>{label}:</b> <a href="/a/{slug(h)[:30]}">{h}</a></font><br><br>',
    })  # fmt: skip
    side = "".join(f'<a href="/{slug(i)}">{esc(i)}</a><br>' for i in fur(a, "menu"))
    most = "".join(f'<li><a href="/n/{slug(h)[:30]}">{esc(h)}</a></li>' for h in pick(a, fur(a, "related"), 5, "most"))
    page = f"""<table width="980" border="0" cellpadding="0" cellspacing="0" align="center">
<tr><td colspan="3" class="top"><a href="/"><img src="/logo.gif" alt="{attr(a.get("site"))}"></a> <font size="5">{esc(a.get("site"))}</font></td></tr>
<tr><td width="160" valign="top" class="left">{side}</td>
<td width="600" valign="top" class="maintext">
<font size="4"><b>{esc(a.get("title"))}</b></font><br>
{f"{lead}<br><br>" if lead else ""}
<font size="2" color="#666666">{esc(date_text(a))}{" | " if date_text(a) and byline_text(a) else ""}{esc(byline_text(a))}</font><br><br>
<div class="text">{body}</div>
<a href="javascript:window.print()">Print</a> | <a href="/send">Send to a friend</a>
</td>
<td width="220" valign="top" class="right"><b>{esc(fur(a, "most_read"))}</b><ul>{most}</ul></td></tr>
<tr><td colspan="3" align="center" class="bottom"><font size="1">© {esc(a.get("site"))} · {esc(fur(a, "footer"))}</font></td></tr>
</table>"""
    return document(a, head(a), page)


def ngo(a: Any) -> str:
    """A small NGO's static site: a press release with a contact box."""
    lead, body = body_parts(a)
    page = f"""<div id="wrapper">
<div id="top"><div class="logo"><a href="/">{esc(a.get("site"))}</a></div><ul id="nav">{"".join(f'<li><a href="/{slug(i)}">{esc(i)}</a></li>' for i in fur(a, "menu")[:5])}</ul>
<a class="donate-button" href="/donate">Donate</a></div>
<div id="content"><div class="breadcrumb"><a href="/">{esc(fur(a, "menu")[0])}</a> / <a href="/press">Press</a></div>
<div class="page-content">
<h1>{esc(a.get("title"))}</h1>
{f'<p class="lead">{lead}</p>' if lead else ""}
<p class="release-date">{esc(date_text(a))}</p>
{body}
<div class="contact-box"><h4>Media contact</h4><p>press@{slug(a.get("site"))}.example · +00 000 000 000</p></div>
</div>
<div id="sidebar"><div class="widget"><h3>{esc(fur(a, "more"))}</h3>{related_list(a, "more", 3, "recent-releases")}</div>
<div class="widget">{newsletter(a, "signup-widget")}</div></div>
</div>
<div id="footer"><p>{esc(a.get("site"))} · Registered charity · {esc(fur(a, "footer"))}</p></div>
</div>"""
    return document(a, head(a), page)


def blogger(a: Any) -> str:
    """A Blogger/Blogspot post: text with <br> and <div>, a post footer with author and time."""
    lead, body = body_parts(a, {
        "p": lambda h: f"<div>{h}</div><div><br></div>",
        "h2": lambda h: f"<div><b>{h}</b></div>",
        "figure": lambda h: f'<table class="tr-caption-container"><tr><td><a href="#"><img src="/blogger/img.jpg"></a></td></tr><tr><td class="tr-caption">{h}</td></tr></table>',
        "credit": lambda h: f'<div style="text-align: right;"><i>{h}</i></div>',
    })  # fmt: skip
    archive = "".join(f'<li><a href="/2025/{m:02d}/">{m:02d}/2025</a></li>' for m in range(1, 7))
    page = f"""<div class="content-outer"><div class="header-outer"><div class="Header"><h1 class="title"><a href="/">{esc(a.get("site"))}</a></h1><p class="description">Notes from the field</p></div></div>
<div class="main-outer"><div class="main-inner"><div class="column-center-inner"><div class="main section" id="main">
<div class="date-outer"><h2 class="date-header"><span>{esc(date_text(a))}</span></h2>
<div class="post-outer"><div class="post hentry">
<h3 class="post-title entry-title">{esc(a.get("title"))}</h3>
<div class="post-header"></div>
<div class="post-body entry-content">
{f"<div>{lead}</div><div><br></div>" if lead else ""}
{body}
<div style="clear: both;"></div></div>
<div class="post-footer"><div class="post-footer-line"><span class="post-author vcard">Posted by <span class="fn">{esc(byline_text(a).removeprefix("By ").removeprefix("Von "))}</span></span>
<span class="post-comment-link"><a class="comment-link" href="#comments">0 {esc(fur(a, "comments"))}</a></span></div>
<div class="post-share-buttons"><a class="share-button" href="#">Email This</a><a class="share-button" href="#">BlogThis!</a><a class="share-button" href="#">Share to X</a></div></div>
</div></div></div></div>
<div class="blog-pager"><a class="blog-pager-older-link" href="/older">Older Post</a> <a class="home-link" href="/">Home</a></div>
</div></div>
<div class="column-right-inner"><div class="sidebar section"><div class="widget BlogArchive"><h2>Blog Archive</h2><ul>{archive}</ul></div></div></div></div>
<div class="footer-outer"><p>Powered by Blogger.</p></div></div>"""
    return document(a, head(a), page, "variant-indie")


def tilda(a: Any) -> str:
    """A Tilda page-builder site: every block is its own record (t-rec)."""
    counter = iter(range(100000, 200000, 7))

    def rec(kind: str, inner: str) -> str:
        return f'<div id="rec{next(counter)}" class="r t-rec t-rec_pt_30" data-record-type="{kind}"><div class="t-container"><div class="t-col t-col_8 t-prefix_2">{inner}</div></div></div>'
    lead, body = body_parts(a, {
        "p": lambda h: rec("106", f'<div class="t-text t-text_md" field="text">{h}</div>'),
        "h2": lambda h: rec("30", f'<div class="t-section__title t-title t-title_xs" field="title">{h}</div>'),
        "quote": lambda h: rec("207", f'<div class="t-quote"><div class="t-quote__text t-text_md" field="text">{h}</div></div>'),
        "figure": lambda h: rec("3", f'<img class="t-img" src="/tild/x.jpg"><div class="t-descr t-descr_xxs" field="descr">{h}</div>'),
        "credit": lambda h: rec("106", f'<div class="t-text t-text_xs" field="text">{h}</div>'),
    })  # fmt: skip
    page = f"""<div id="allrecords" class="t-records" data-tilda-project-id="123">
{rec("456", f'<div class="t456"><a href="/">{esc(a.get("site"))}</a>{menu(a, "t456__list")}</div>')}
{rec("33", f'<div class="t-title t-title_xl" field="title">{esc(a.get("title"))}</div>')}
{rec("106", f'<div class="t-text t-text_md" field="text"><strong>{lead}</strong></div>') if lead else ""}
{rec("106", f'<div class="t-text t-text_xs" field="text">{esc(byline_text(a))}<br>{esc(date_text(a))}</div>')}
{body}
{rec("678", f'<div class="t678">{newsletter(a, "t-form")}</div>')}
{rec("420", f'<div class="t420">{footer(a, "t420__text", "div")}</div>')}
</div>"""
    return document(a, head(a, '<meta name="generator" content="Tilda">'), page, "t-body")


def bitrix(a: Any) -> str:
    """A 1C-Bitrix news detail page (common on regional Russian-language sites)."""
    lead, body = body_parts(a, {
        "p": lambda h: f"{h}<br><br>",
        "h2": lambda h: f"<b>{h}</b><br><br>",
        "quote": lambda h: f"<i>{h}</i><br><br>",
        "figure": lambda h: f'<div class="news-detail-picture"><img src="/upload/iblock/x.jpg"><div class="pic-descr">{h}</div></div>',
        "related": lambda label, h: f'<div class="news-detail-link">{label}: <a href="/news/{slug(h)[:30]}/">{h}</a></div>',
    })  # fmt: skip
    date = date_text(a)
    page = f"""<div id="panel"></div>
<div class="wrapper"><div class="header"><div class="logo"><a href="/">{esc(a.get("site"))}</a></div><div class="top-menu">{menu(a, "menu-top")}</div>
<div class="search-form"><form action="/search/"><input type="text" name="q"><input type="submit" value="{attr(fur(a, "search"))}"></form></div></div>
<div class="workarea"><div class="breadcrumbs"><a href="/">{esc(fur(a, "menu")[0])}</a> → <a href="/news/">{esc(fur(a, "menu")[1])}</a></div>
<h1>{esc(a.get("title"))}</h1>
<div class="news-detail">
<span class="news-date-time">{esc(date)}</span>
{f"<b>{lead}</b><br><br>" if lead else ""}
<div class="news-detail-text">{body}</div>
<div class="news-detail-author">{esc(byline_text(a))}</div>
<div style="clear:both"></div><br>
<div class="news-detail-share">{share_bar(a, "share-links")}</div>
</div>
<p><a href="/news/">← Вернуться к списку новостей</a></p>
</div>
<div class="sidebar">{related_list(a, "most_read", 5, "news-list")}</div>
<div class="footer">{footer(a, "copyright", "div")}</div></div>"""
    return document(a, head(a), page)


def joomla(a: Any) -> str:
    """A Joomla 4 article view."""
    lead, body = body_parts(a)
    page = f"""<header class="header container-header full-width"><div class="grid-child"><div class="navbar-brand"><a class="brand-logo" href="/">{esc(a.get("site"))}</a></div></div>
<div class="grid-child container-nav"><nav class="navbar navbar-expand-md">{menu(a, "mod-menu mod-list nav")}</nav></div></header>
<div class="site-grid"><div class="grid-child container-component">
<main><div class="com-content-article item-page" itemscope itemtype="https://schema.org/Article">
<meta itemprop="inLanguage" content="{a.lang}">
<div class="page-header"><h1 itemprop="headline">{esc(a.get("title"))}</h1></div>
<dl class="article-info text-muted"><dt class="article-info-term">Details</dt>
<dd class="createdby" itemprop="author" itemscope itemtype="https://schema.org/Person"><span itemprop="name">{esc(byline_text(a))}</span></dd>
<dd class="published">{time_tag(a)}</dd></dl>
<div itemprop="articleBody" class="com-content-article__body">
{f"<p><strong>{lead}</strong></p>" if lead else ""}
{body}
</div>
<ul class="tags list-inline">{"".join(f'<li class="list-inline-item"><a class="btn btn-sm btn-info">{esc(t)}</a></li>' for t in pick(a, fur(a, "menu"), 2, "t"))}</ul>
<nav class="pagenavigation"><span class="pagination ms-0"><a class="btn btn-sm btn-secondary previous" href="/prev">Prev</a><a class="btn btn-sm btn-secondary next" href="/next">Next</a></span></nav>
</div></main></div>
<div class="grid-child container-sidebar-right"><div class="sidebar-right card"><h3 class="card-header">{esc(fur(a, "most_read"))}</h3>{related_list(a, "most_read", 4, "mostread mod-list")}</div></div></div>
{footer(a, "container-footer footer full-width")}"""
    return document(a, head(a, '<meta name="generator" content="Joomla! - Open Source Content Management">'), page,
                    "site com_content wrapper-static view-article")


def typo3(a: Any) -> str:
    """A TYPO3 site with the news extension (German municipal and regional media)."""
    lead, body = body_parts(a, {
        "figure": lambda h: f'<div class="news-img-wrap"><div class="outer"><div class="mediaelement mediaelement-image"><img src="/fileadmin/x.jpg" alt=""></div><p class="news-img-caption">{h}</p></div></div>',
    })  # fmt: skip
    page = f"""<div class="page"><header class="page-header"><a class="logo" href="/">{esc(a.get("site"))}</a><nav class="main-navigation">{menu(a, "navigation")}</nav></header>
<div class="cookie-consent">{cookie_banner(a, "cc-window")}</div>
<main class="main-content"><div id="c12" class="frame frame-default frame-type-news_newsdetail">
<div class="news news-single"><div class="article" itemscope="itemscope" itemtype="http://schema.org/Article">
<div class="header"><h1 itemprop="headline">{esc(a.get("title"))}</h1></div>
<div class="footer"><p><span class="news-list-date">{time_tag(a)}</span> <span class="news-list-author">{esc(byline_text(a))}</span></p></div>
{dek(a, "div", "teaser-text")}
{f'<div class="lead-text"><p>{lead}</p></div>' if lead else ""}
<div class="news-text-wrap" itemprop="articleBody">
{body}
</div>
<div class="news-related news-related-news"><h4>{esc(fur(a, "more"))}</h4>{related_list(a, "more", 3, "related-news-list")}</div>
<div class="news-backlink-wrap"><a href="/aktuelles/">Zurück</a></div>
</div></div></div></main>
{footer(a, "page-footer")}</div>"""
    return document(a, head(a, '<meta name="generator" content="TYPO3 CMS">'), page)


def newspaper_wp(a: Any) -> str:
    """WordPress with a magazine theme (tagDiv "Newspaper"-style markup)."""
    lead, body = body_parts(a, {
        "figure": lambda h: f'<figure class="wp-caption aligncenter"><img src="/wp-content/uploads/x.jpg"><figcaption class="wp-caption-text">{h}</figcaption></figure>',
        "related": lambda label, h: f'<div class="td-a-rec td-a-rec-id-content_inline"><p><strong>{label}:</strong> <a href="/a/{slug(h)[:30]}">{h}</a></p></div>',
    })  # fmt: skip
    page = f"""<div class="td-scroll-up"></div><div id="td-outer-wrap" class="td-theme-wrap">
<div class="td-header-wrap td-header-style-1"><div class="td-header-top-menu-full"><div class="td-header-row td-header-top-menu">{menu(a, "top-header-menu")}</div></div>
<div class="td-banner-wrap-full"><div class="td-header-sp-logo"><a class="td-main-logo" href="/">{esc(a.get("site"))}</a></div></div>
<div class="td-header-menu-wrap-full"><div class="td-main-menu-logo"></div>{menu(a, "sf-menu td-main-menu")}</div></div>
<div class="td-main-content-wrap td-container-wrap"><div class="td-container td-post-template-default">
<div class="td-crumb-container"><div class="entry-crumbs"><span><a class="entry-crumb" href="/">{esc(fur(a, "menu")[0])}</a></span></div></div>
<div class="td-pb-row"><div class="td-pb-span8 td-main-content" role="main"><div class="td-ss-main-content">
<article class="post type-post status-publish format-standard has-post-thumbnail">
<div class="td-post-header"><ul class="td-category"><li class="entry-category"><a href="/x/">{esc(fur(a, "menu")[1])}</a></li></ul>
<header class="td-post-title"><h1 class="entry-title">{esc(a.get("title"))}</h1>
{f'<p class="td-post-sub-title">{lead}</p>' if lead else ""}
<div class="td-module-meta-info"><div class="td-post-author-name"><div class="td-author-by">{esc(fur(a, "by"))}</div> <a href="/author/x/">{esc(byline_text(a).removeprefix(fur(a, "by")).strip())}</a><div class="td-author-line"> - </div></div>
<span class="td-post-date">{time_tag(a, "entry-date updated td-module-date")}</span><div class="td-post-views"><span class="td-nr-views-2">1842</span></div></div></header></div>
<div class="td-post-sharing-top">{share_bar(a, "td-post-sharing")}</div>
<div class="td-post-content tagdiv-type">
{body}
</div>
<footer><div class="td-post-source-tags"><ul class="td-tags td-post-small-box clearfix"><li><span>TAGS</span></li>{"".join(f"<li><a href='/tag/{slug(t)}'>{esc(t)}</a></li>" for t in pick(a, fur(a, "menu"), 3, "tg"))}</ul></div>
<div class="td-block-row td-post-next-prev"><div class="td-block-span6 td-post-prev-post"><div class="td-post-next-prev-content"><span>Previous article</span><a href="/p">{esc(pick(a, fur(a, "related"), 1, "prev")[0])}</a></div></div></div></footer>
<div class="td_block_wrap td_block_related_posts"><h4 class="td-related-title"><a class="td-related-left td-cur-simple-item" href="#">RELATED ARTICLES</a></h4>{teaser_cards(a, 3, "td-related-span4")}</div>
</article></div></div>
<div class="td-pb-span4 td-main-sidebar" role="complementary"><div class="td-ss-main-sidebar"><div class="td_block_wrap td_block_popular">{related_list(a, "most_read", 5, "td_block_inner")}</div></div></div>
</div></div></div>
{footer(a, "td-footer-wrapper td-container-wrap", "div")}</div>"""
    return document(a, head(a, '<meta name="generator" content="WordPress 6.4">'), page, "post-template-default single single-post td-standard-pack")


def medium(a: Any) -> str:
    """A Medium-style post: hashed classes around each paragraph."""
    lead, body = body_parts(a, {
        "p": lambda h: f'<p class="pw-post-body-paragraph ly lz gv ma b mb mc md me mf mg" data-selectable-paragraph="">{h}</p>',
        "h2": lambda h: f'<h2 class="pw-post-body-heading np nq gv bf nr ns nt" data-selectable-paragraph="">{h}</h2>',
        "quote": lambda h: f'<blockquote class="of og oh"><p class="oi oj gv ok" data-selectable-paragraph="">{h}</p></blockquote>',
        "figure": lambda h: f'<figure class="ph pi pj pk pl pm"><div class="pn po"><img class="bh lg pp c" src="/max/1400/x.png"></div><figcaption class="pq pr ps" data-selectable-paragraph="">{h}</figcaption></figure>',
    })  # fmt: skip
    page = f"""<div id="root"><div class="a b c"><div class="l m n o"><div class="ab ac"><a href="/">{esc(a.get("site"))}</a><a href="/m/signin">Sign in</a></div>
<article><div class="l"><div class="l"><section><div><div class="fw fx fy fz ga"></div>
<div class="gb gc gd ge"><div class="ab cb"><div class="ci bh gf gg gh gi">
<div><h1 id="t1" class="pw-post-title gm gn go bf gp gq gr gs">{esc(a.get("title"))}</h1></div>
{dek(a, "h2", "pw-subtitle-paragraph hj gn go bf b hk hl hm")}
<div class="speechify-ignore ab cp"><div class="hy hz"><span class="bf b bg z bk">{esc(byline_text(a))}</span><span class="pw-published-date bf b bg z dt">{esc(date_text(a))}</span></div></div>
{f'<p class="pw-post-body-paragraph ly lz gv ma b">{lead}</p>' if lead else ""}
{body}
</div></div></div></div></section></div></div></article>
<div class="ab ca"><div class="recirc">{teaser_cards(a, 3, "recirc-card")}</div></div>
<div class="footer-links"><a href="/help">Help</a><a href="/status">Status</a><a href="/about">About</a></div></div></div></div>"""
    return document(a, head(a, "", " | by Writer | "), page)


def ucoz(a: Any) -> str:
    """A uCoz site (old Russian-language hosting): tables, eTitle/eMessage/eDetails."""
    lead, body = body_parts(a, {
        "p": lambda h: f'<p style="text-align: justify;">{h}</p>',
        "figure": lambda h: f'<p style="text-align: center;"><img src="/_nw/1/x.jpg"><br><span style="font-size:8pt;">{h}</span></p>',
    })  # fmt: skip
    page = f"""<table border="0" cellpadding="0" cellspacing="0" width="100%"><tr><td class="header"><span class="logo">{esc(a.get("site"))}</span></td></tr>
<tr><td class="menubar">{menu(a, li=False)}</td></tr></table>
<table border="0" cellpadding="0" cellspacing="0" width="100%"><tr>
<td valign="top" width="200" class="leftColumn"><div class="boxTitle">{esc(fur(a, "most_read"))}</div><div class="boxContent">{related_list(a, "most_read", 5, "catsTable")}</div></td>
<td valign="top" class="centerColumn"><table border="0" width="100%" cellspacing="1" cellpadding="2" class="eBlock"><tr><td class="eTitle">{esc(a.get("title"))}</td></tr>
<tr><td class="eMessage">{f"<p><b>{lead}</b></p>" if lead else ""}{body}</td></tr>
<tr><td class="eDetails">{esc(byline_text(a))} | {esc(date_text(a))} | Просмотров: 512</td></tr></table>
<div class="commTd"><b>{esc(fur(a, "comments"))}:</b> 0</div></td></tr></table>
<div class="copy">{esc(a.get("site"))} © · Хостинг от uCoz</div>"""
    return document(a, head(a), page)


def squarespace(a: Any) -> str:
    """A Squarespace blog post: each paragraph inside layout blocks."""
    def block(inner: str) -> str:
        return f'<div class="sqs-block html-block sqs-block-html" data-block-type="2"><div class="sqs-block-content"><div class="sqs-html-content">{inner}</div></div></div>'
    lead, body = body_parts(a, {
        "p": lambda h: block(f'<p class="" style="white-space:pre-wrap;">{h}</p>'),
        "h2": lambda h: block(f"<h2>{h}</h2>"),
        "figure": lambda h: f'<div class="sqs-block image-block sqs-block-image"><div class="sqs-block-content"><figure class="sqs-block-image-figure"><img src="/static/x.jpg"><figcaption class="image-caption-wrapper"><div class="image-caption"><p>{h}</p></div></figcaption></figure></div></div>',
    })  # fmt: skip
    page = f"""<header id="header" class="header theme-col--primary"><div class="header-title"><a href="/">{esc(a.get("site"))}</a></div><nav class="header-nav">{menu(a, "header-nav-list")}</nav></header>
<main id="page" class="container" role="main"><article class="sections"><section class="page-section"><div class="content-wrapper"><div class="content">
<div class="blog-item-wrapper"><article class="entry h-entry hentry">
<div class="blog-item-top-wrapper"><h1 data-content-field="title" class="entry-title">{esc(a.get("title"))}</h1>
<div class="blog-item-meta-wrapper"><span class="blog-author-name">{esc(byline_text(a))}</span> <span class="blog-meta-item blog-meta-item--date">{time_tag(a, "dt-published date-highlight")}</span></div></div>
<div class="blog-item-content-wrapper"><div class="blog-item-content e-content"><div class="sqs-layout sqs-grid-12 columns-12"><div class="row sqs-row"><div class="col sqs-col-12 span-12">
{block(f"<p><strong>{lead}</strong></p>") if lead else ""}
{body}
</div></div></div></div></div>
<section class="item-pagination item-pagination--prev-next"><a href="/blog/prev" class="item-pagination-link">Previous</a></section>
</article></div></div></div></section></article></main>
{footer(a, "sections footer")}"""
    return document(a, head(a), page, "collection-type-blog view-item")


def photo_story(a: Any) -> str:
    """A photo story: a two-line introduction and a slideshow whose captions tell the story."""
    lead, body = body_parts(a, {
        "p": lambda h: f'<p class="gallery-intro">{h}</p>',
        "slide": lambda h: f'<div class="gallery__slide"><figure class="gallery__figure"><img src="/g/{abs(hash(h)) % 999}.jpg" alt=""><figcaption class="gallery__caption">{h}</figcaption></figure></div>',
    })  # fmt: skip
    page = f"""<div class="site-nav"><a href="/">{esc(a.get("site"))}</a> {menu(a, li=False)}</div>
{cookie_banner(a)}
<main class="gallery-page"><h1>{esc(a.get("title"))}</h1>
<div class="gallery-meta">{esc(byline_text(a))} {time_tag(a)}</div>
<div class="gallery slideshow">
{body}
<div class="gallery__controls"><button>‹</button><span class="gallery__count">1 / 5</span><button>›</button></div>
</div>
{share_bar(a)}
</main>
<div class="more-galleries">{related_list(a, "more", 3, "gallery-list")}</div>
{footer(a)}"""
    return document(a, head(a), page)


def wrong_block(a: Any) -> str:
    """A magazine template whose fact box carries the body class names while the story sits in plain divisions."""
    lead, body = body_parts(a, {
        "p": lambda h: f'<div class="txt-para">{h}</div>',
        "h2": lambda h: f'<div class="txt-sub"><b>{h}</b></div>',
        "factbox": lambda items: '<div class="article-content factbox"><h3>' + esc(fur(a, "glance")) + "</h3><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul></div>",
    })  # fmt: skip
    page = f"""<div class="top">{menu(a, li=False)}</div>
<div class="wrapper"><h1>{esc(a.get("title"))}</h1>
<div class="meta-line">{esc(byline_text(a))}{" · " if byline_text(a) and date_text(a) else ""}{esc(date_text(a))}</div>
<div class="story">
{body}
</div>
<div class="moreinfo">{related_list(a, "more", 2, "morelinks")}</div>
</div>
{footer(a, "bottom", "div")}"""
    return document(a, head(a), page)


def classic_wp(a: Any) -> str:
    """A classic WordPress theme (entry-header/entry-content), used by many blogs and regional papers."""
    lead, body = body_parts(a, {
        "figure": lambda h: f'<figure class="wp-caption alignnone"><img src="/wp-content/uploads/x.jpg"><figcaption class="wp-caption-text">{h}</figcaption></figure>',
    })  # fmt: skip
    page = f"""<div id="page" class="site"><a class="skip-link screen-reader-text" href="#content">{esc(fur(a, "skip"))}</a>
<header id="masthead" class="site-header"><div class="site-branding"><p class="site-title"><a href="/" rel="home">{esc(a.get("site"))}</a></p></div>
<nav id="site-navigation" class="main-navigation">{menu(a, "menu")}</nav></header>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
<article class="post type-post status-publish format-standard hentry">
<header class="entry-header"><h1 class="entry-title">{esc(a.get("title"))}</h1>
<div class="entry-meta"><span class="posted-on">{time_tag(a, "entry-date published")}</span> <span class="byline"><span class="author vcard">{esc(byline_text(a))}</span></span></div></header>
{f'<p class="entry-lead">{lead}</p>' if lead else ""}
<div class="entry-content">
{body}
</div>
<footer class="entry-footer"><span class="cat-links">{tags_box(a, "tags-links")}</span></footer>
</article>
<nav class="navigation post-navigation"><div class="nav-links"><div class="nav-previous"><a href="/prev" rel="prev">{esc(pick(a, fur(a, "related"), 1, "pv")[0])}</a></div></div></nav>
<div id="comments" class="comments-area"><h2 class="comments-title">{esc(fur(a, "comments"))}</h2><p class="no-comments">{esc(fur(a, "comment_text"))}</p></div>
</main></div>
<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries">{related_list(a, "most_read", 5, "recent-posts")}</section></aside></div>
{footer(a, "site-footer")}</div>"""
    return document(a, head(a, '<meta name="generator" content="WordPress 6.5">', " &#8211; "), page, "post-template-default single single-post")


SHELLS = {
    "gutenberg": gutenberg,
    "elementor": elementor,
    "drupal": drupal,
    "arc": arc,
    "dotdash": dotdash,
    "substack": substack,
    "ghost": ghost,
    "nextjs": nextjs,
    "liveblog": liveblog,
    "regional-table": regional_table,
    "ngo": ngo,
    "blogger": blogger,
    "tilda": tilda,
    "bitrix": bitrix,
    "joomla": joomla,
    "typo3": typo3,
    "newspaper-wp": newspaper_wp,
    "medium": medium,
    "ucoz": ucoz,
    "squarespace": squarespace,
    "photo-story": photo_story,
    "wrong-block": wrong_block,
    "classic-wp": classic_wp,
}
