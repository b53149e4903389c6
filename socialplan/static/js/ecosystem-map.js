// The map of the organizations (/mappa/): a choropleth of organizations per
// 10,000 inhabitants by comune, and markers that count the organizations of
// each comune, grouped by Leaflet.markercluster as the map zooms out.
//
// No tile server is needed: the comuni's boundaries come with the counts from
// the open API (one request: geometry once, counts per legal form), so the
// legal form switches without another request. A tile layer is added only
// when the operator sets PORTAL_MAP_TILE_URL. Loaded from a file, as the
// Content-Security-Policy forbids inline scripts; the words come from the
// page's <script type="application/json" id="map-strings"> block.
(function () {
  "use strict";

  // Light to dark, as .map-class-0 ... .map-class-4 in css/ecosystem.css.
  var COLOURS = ["#f7f7f7", "#c6dbef", "#6baed6", "#2171b5", "#08306b"];
  var CLASSES = COLOURS.length - 1; // class 0 is "no organizations"

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, name) {
      return name in values ? values[name] : match;
    });
  }

  function escapeHtml(text) {
    var element = document.createElement("span");
    element.textContent = text;
    return element.innerHTML;
  }

  function start() {
    var container = document.getElementById("ecosystem-map");
    var stringsElement = document.getElementById("map-strings");
    if (!container || !stringsElement || !window.L) {
      return;
    }
    var strings = JSON.parse(stringsElement.textContent);
    var language = document.documentElement.lang || "it";
    var number = new Intl.NumberFormat(language, { maximumSignificantDigits: 3 });
    var integer = new Intl.NumberFormat(language);
    var select = document.getElementById("map-legal-form");
    var legend = document.getElementById("map-legend");

    // Without tiles the map sets its own zoom range (markercluster needs a maxZoom).
    var map = L.map(container, { zoomControl: false, scrollWheelZoom: false, zoomSnap: 0.25, minZoom: 7, maxZoom: 16 });
    L.control.zoom({ zoomInTitle: strings.zoomIn, zoomOutTitle: strings.zoomOut }).addTo(map);
    if (container.dataset.tileUrl) {
      L.tileLayer(container.dataset.tileUrl, { attribution: container.dataset.tileAttribution || "" }).addTo(map);
    }
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", strings.close);
      }
    });

    var features = [];
    var areas = null;
    var markers = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 50,
      iconCreateFunction: function (cluster) {
        var total = 0;
        cluster.getAllChildMarkers().forEach(function (marker) {
          total += marker.options.organizations;
        });
        var label = format(strings.clusterLabel, { count: integer.format(total), comuni: cluster.getChildCount() });
        return L.divIcon({
          className: "map-count-cluster",
          iconSize: [40, 40],
          html: '<span aria-hidden="true">' + integer.format(total) + '</span><span class="visually-hidden">' + escapeHtml(label) + "</span>",
        });
      },
    });

    function countOf(feature, legalForm) {
      var counts = feature.properties.organizations;
      return legalForm ? counts.by_legal_form[legalForm] || 0 : counts.total;
    }

    function rateOf(feature, legalForm) {
      var population = feature.properties.population;
      return population ? (countOf(feature, legalForm) * 10000) / population : null;
    }

    // Two significant digits: enough to tell classes apart, whatever the scale of the rates.
    function round(value, direction) {
      if (!value) {
        return 0;
      }
      var step = Math.pow(10, Math.floor(Math.log10(value)) - 1);
      return Math[direction](value / step) * step;
    }

    // Quantile breaks of the non-zero rates: each coloured class holds about
    // as many comuni as the others; the last break covers the highest rate.
    function breaksFor(legalForm) {
      var rates = features
        .map(function (feature) { return rateOf(feature, legalForm); })
        .filter(function (rate) { return rate; })
        .sort(function (a, b) { return a - b; });
      if (!rates.length) {
        return [];
      }
      var highest = round(rates[rates.length - 1], "ceil");
      var breaks = [];
      for (var index = 1; index < CLASSES; index += 1) {
        var value = round(rates[Math.floor((rates.length * index) / CLASSES)], "round");
        if (value > (breaks.length ? breaks[breaks.length - 1] : 0) && value < highest) {
          breaks.push(value);
        }
      }
      breaks.push(highest);
      return breaks;
    }

    function classOf(rate, breaks) {
      if (!rate) {
        return 0;
      }
      for (var index = 0; index < breaks.length; index += 1) {
        if (rate <= breaks[index]) {
          return index + 1;
        }
      }
      return breaks.length;
    }

    function drawLegend(breaks, legalForm) {
      var items = ['<li><span class="map-swatch map-class-0" aria-hidden="true"></span>0 (' + escapeHtml(strings.none) + ")</li>"];
      var lower = 0;
      breaks.forEach(function (upper, index) {
        items.push(
          '<li><span class="map-swatch map-class-' + (index + 1) + '" aria-hidden="true"></span>' +
            (lower ? "> " + number.format(lower) : "> 0") + " – " + number.format(upper) + "</li>"
        );
        lower = upper;
      });
      var withOrganizations = features.filter(function (feature) { return countOf(feature, legalForm); }).length;
      legend.innerHTML =
        '<p class="mb-1 fw-semibold">' + escapeHtml(strings.legendTitle) + "</p><ul>" + items.join("") + "</ul>" +
        '<p class="small mb-0">' + escapeHtml(format(strings.comuniWith, { count: withOrganizations, total: features.length })) + "</p>";
    }

    function redraw() {
      var legalForm = select ? select.value : "";
      var breaks = breaksFor(legalForm);
      areas.eachLayer(function (layer) {
        var rate = rateOf(layer.feature, legalForm);
        layer.setStyle({ fillColor: COLOURS[classOf(rate, breaks)] });
        var count = countOf(layer.feature, legalForm);
        layer.setTooltipContent(
          "<strong>" + escapeHtml(layer.feature.properties.name) + "</strong><br>" +
            integer.format(count) + " " + escapeHtml(count === 1 ? strings.organization : strings.organizations) +
            (rate === null ? " (" + escapeHtml(strings.noPopulation) + ")" : ", " + number.format(rate) + " " + escapeHtml(strings.perTenThousand))
        );
      });
      markers.clearLayers();
      var directory = container.dataset.directoryUrl;
      var list = [];
      features.forEach(function (feature) {
        var count = countOf(feature, legalForm);
        if (!count) {
          return;
        }
        var properties = feature.properties;
        var label = format(count === 1 ? strings.markerLabelOne : strings.markerLabel, {
          count: integer.format(count),
          name: properties.name,
        });
        var link = directory + "?comune=" + encodeURIComponent(properties.istat_code) + (legalForm ? "&forma=" + encodeURIComponent(legalForm) : "");
        var marker = L.marker([properties.latitude, properties.longitude], {
          organizations: count,
          icon: L.divIcon({
            className: "map-count-marker",
            iconSize: [30, 30],
            html: '<span aria-hidden="true">' + integer.format(count) + '</span><span class="visually-hidden">' + escapeHtml(label) + "</span>",
          }),
        });
        marker.bindPopup(
          "<strong>" + escapeHtml(properties.name) + "</strong><br>" + escapeHtml(label) +
            '<br><a href="' + escapeHtml(link) + '">' + escapeHtml(strings.seeInDirectory) + "</a>"
        );
        list.push(marker);
      });
      markers.addLayers(list);
      drawLegend(breaks, legalForm);
    }

    fetch(container.dataset.url, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (collection) {
        features = collection.features;
        areas = L.geoJSON(collection, {
          style: { color: "#5c6f82", weight: 0.6, fillOpacity: 0.85, fillColor: COLOURS[0] },
          onEachFeature: function (feature, layer) {
            layer.bindTooltip("", { sticky: true });
          },
        }).addTo(map);
        map.fitBounds(areas.getBounds());
        markers.addTo(map);
        redraw();
        if (select) {
          select.addEventListener("change", redraw);
        }
      })
      .catch(function (error) {
        legend.innerHTML = '<p class="mb-0">' + escapeHtml(strings.failed) + "</p>";
        window.console.error(error);
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
