import { expect } from 'chai';
import { documentedRoutes, parametersWithoutSample } from './documentedRoutes';

describe('the documented routes the live probes walk', () => {
  it('has a sample value for every path parameter of the document', () => {
    expect(parametersWithoutSample()).to.deep.equal([]);
  });

  it('spells every route with its samples', () => {
    const routes = documentedRoutes();
    expect(routes.length).to.be.greaterThan(20);
    for (const route of routes) expect(route.path, route.template).to.be.a('string').and.not.match(/[{}]/);
  });
});
