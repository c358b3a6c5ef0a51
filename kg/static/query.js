// newskg query page: YASGUI on this server's endpoint, with the named queries as tabs.
(function () {
  "use strict";
  function start() {
    var config = JSON.parse(document.getElementById("query-config").textContent);
    // Only completions that need no other server: the bundled prefix list, the query's
    // own variables (the class and property completers would ask LOV on the internet).
    Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
    var yasgui = new Yasgui(document.getElementById("yasgui"), {
      requestConfig: { endpoint: config.endpoint, method: "POST" },
      copyEndpointOnNewTab: false,
      persistenceId: null,
      populateFromUrl: true,
      endpointCatalogueOptions: {
        getData: function () {
          return [{ endpoint: config.endpoint }].concat(
            config.tabs.map(function (tab) { return { endpoint: tab.endpoint }; }));
        },
        keys: []
      },
      yasqe: { value: config.query, prefixCcApi: "" },
      yasr: { prefixes: {} }
    });
    var first = yasgui.getTab();
    if (first) first.setQuery(config.query);
    config.tabs.forEach(function (tab) {
      yasgui.addTab(false, {
        name: tab.name,
        yasqe: { value: tab.sparql },
        requestConfig: { endpoint: tab.endpoint, method: "POST" }
      });
    });
    window.newskgYasgui = yasgui;
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
