// Map controls of our own, built like MapLibre's (IControl: onAdd returns the element, onRemove detaches it).

/** Zooms back to the extent of the loaded data. */
export class HomeControl {
  #bounds;
  #map;
  #container;

  constructor(bounds) {
    this.#bounds = bounds;
  }

  onAdd(map) {
    this.#map = map;
    this.#container = document.createElement('div');
    this.#container.className = 'maplibregl-ctrl maplibregl-ctrl-group';
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'home-control';
    button.title = 'Về vùng dữ liệu / Zoom to the data';
    button.setAttribute('aria-label', button.title);
    button.textContent = '⌂';
    button.addEventListener('click', () => this.#map.fitBounds(this.#bounds, { padding: 40 }));
    this.#container.append(button);
    return this.#container;
  }

  onRemove() {
    this.#container.remove();
    this.#map = undefined;
  }
}
